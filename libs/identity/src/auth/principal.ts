import type { FerryRole } from '../roles';

/** Who is calling: the operator (OPERATOR_TOKEN) or a user holding a Ferry session token. */
export type Principal = OperatorPrincipal | UserPrincipal;

export interface OperatorPrincipal {
  kind: 'operator';
}

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  platformId: string;
  launchId: string;
  roles: FerryRole[];
  /** When the session token expires (set on a verified token). */
  expiresAt?: Date;
}
