import type { FerryRole } from '@/types/api';

const mostPrivilegedFirst: readonly FerryRole[] = ['admin', 'instructor', 'learner'];

/**
 * The role whose home a person sees: the most privileged they hold. Someone with no Ferry role
 * (an LTI role Ferry does not map, such as Mentor) gets the least privileged view.
 */
export function primaryRole(roles: readonly FerryRole[]): FerryRole {
  return mostPrivilegedFirst.find((role) => roles.includes(role)) ?? 'learner';
}
