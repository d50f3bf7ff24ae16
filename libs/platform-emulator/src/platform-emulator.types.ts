import type { EmulatorMoodleOptions, RunningMoodle } from './moodle/moodle.types';

export type EmulatorRole = 'admin' | 'instructor' | 'learner';

export interface EmulatorUser {
  id: string;
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  role: EmulatorRole;
}

/** Moodle's deployment id is the tool type id, e.g. '1'. */
export interface EmulatorDeployment {
  id: string;
}

export interface EmulatorLineItem {
  /** Moodle's grade item id: the `{id}` in `…/lineitems/{id}/lineitem`. */
  id: number;
  scoreMaximum: number;
}

export interface EmulatorActivity {
  cmid: number;
  instanceId: number;
  name: string;
  deploymentId: string;
  custom?: Record<string, string>;
  kind?: 'resource-link' | 'deep-linking';
  /** Activity description, sent as resource_link.description. */
  description?: string;
  /** 'embed' (default: the course page shows the activity in an iframe) or 'window' (as in the capture). */
  launchContainer?: 'embed' | 'window';
  /** The activity's grade item; omitted → one is made up (100 points); `false` → the activity takes no grades. */
  lineItem?: EmulatorLineItem | false;
}

export interface EmulatorCourse {
  id: number;
  shortname: string;
  fullname: string;
}

export interface PlatformEmulatorOptions {
  /** 0 = a random free port. */
  port: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default: the emulator's own base URL, `http://${host}:${port}` (the actual port after listen). */
  issuer?: string;
  /** Default 'Gyg39EMMRRzRyuO', as captured. */
  clientId?: string;
  /** Ferry's URLs. */
  tool: { loginUrl: string; launchUrl: string; deepLinkingUrl?: string; jwksUrl: string };
  /** Default [{ id: '1' }]. A bare string is taken as a deployment id. */
  deployments?: Array<EmulatorDeployment | string>;
  users?: EmulatorUser[];
  course?: EmulatorCourse;
  activities?: EmulatorActivity[];
  /** Web services, pluginfile.php, login/token.php and the OAuth provider (see README). */
  moodle?: EmulatorMoodleOptions;
}

export type LtiMessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

export interface BuildLaunchClaimsInput {
  /** The user, or their id or username. */
  user: EmulatorUser | string;
  nonce: string;
  activity?: EmulatorActivity;
  messageType?: LtiMessageType;
  deploymentId?: string;
  audience?: string | string[];
}

export interface SignIdTokenOptions {
  /** `undefined` → the current key's kid; `null` → no kid header; a string → that kid in the header. */
  kid?: string | null;
  /** 'unpublished' signs with a key that certs.php never shows, under the published kid. */
  key?: 'platform' | 'unpublished';
  alg?: 'RS256' | 'HS256' | 'none';
}

/** A score a tool posted to AGS, as the emulator accepted it. */
export interface EmulatorScore {
  lineItemId: number;
  userId: string;
  scoreGiven: number | null;
  scoreMaximum: number;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
  comment?: string;
}

export interface RunningPlatformEmulator {
  issuer: string;
  clientId: string;
  /** Base URL; equals the issuer unless an issuer was given. */
  url: string;
  /** `${url}/mod/lti/auth.php` */
  authLoginUrl: string;
  /** `${url}/mod/lti/token.php` */
  accessTokenUrl: string;
  /** `${url}/mod/lti/certs.php` */
  jwksUrl: string;
  deploymentIds: string[];
  users: EmulatorUser[];
  /** The course's activities, live: deep linking adds to it. */
  readonly activities: readonly EmulatorActivity[];
  /** Scores accepted at AGS, oldest first, live. */
  readonly scores: readonly EmulatorScore[];
  /** `${url}/course/view.php?id=<course id>` */
  coursePageUrl(): string;
  /** With a username: a GET URL that logs that user in and redirects to the course page. Without: the login page. */
  loginUrl(username?: string): string;
  /** The exact claim set Moodle would put in an id_token for this user and activity. */
  buildLaunchClaims(input: BuildLaunchClaimsInput): Record<string, unknown>;
  /** Signs as the platform would (RS256, header typ JWT + kid); options forge bad tokens. */
  signIdToken(payload: Record<string, unknown>, options?: SignIdTokenOptions): Promise<string>;
  /** Publishes a new signing key (new kid) at certs.php and signs with it from then on; old keys stay published. */
  rotateKey(): Promise<void>;
  /** Web services, files, tokens, OAuth and faults of the emulated Moodle. */
  moodle: RunningMoodle;
  stop(): Promise<void>;
}
