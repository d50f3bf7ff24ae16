export type FerryRole = 'admin' | 'instructor' | 'learner';

const ADMIN_ROLES = new Set([
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
]);

const INSTRUCTOR_ROLES = new Set(['Instructor', 'TeachingAssistant', 'ContentDeveloper']);

// Context roles may come as full URIs (…/membership#Instructor), as sub-roles
// (…/membership/Instructor#TeachingAssistant) or, as the LTI spec allows, as short names (Instructor).
function contextRoleName(role: string): string | null {
  const membership = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
  if (role.startsWith(`${membership}#`)) return role.slice(membership.length + 1);
  if (role.startsWith(`${membership}/`)) return role.slice(role.indexOf('#') + 1) || null;
  if (!role.includes(':') && !role.includes('/')) return role;
  return null;
}

/** Maps LTI role URIs to Ferry's roles (DESIGN.md "Roles"); unknown roles are ignored. */
export function mapLtiRoles(ltiRoles: readonly string[]): FerryRole[] {
  const roles = new Set<FerryRole>();
  for (const role of ltiRoles) {
    if (ADMIN_ROLES.has(role)) roles.add('admin');
    const name = contextRoleName(role);
    if (name && INSTRUCTOR_ROLES.has(name)) roles.add('instructor');
    if (name === 'Learner') roles.add('learner');
  }
  return (['admin', 'instructor', 'learner'] as const).filter((role) => roles.has(role));
}
