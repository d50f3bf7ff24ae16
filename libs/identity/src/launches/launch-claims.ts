import { ErrorCode, FerryError } from '@ferry/errors';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/** Claim names of the LTI 1.3 core spec and the Advantage services, as they appear in an id_token. */
export const LtiClaim = {
  MessageType: `${LTI}message_type`,
  Version: `${LTI}version`,
  DeploymentId: `${LTI}deployment_id`,
  TargetLinkUri: `${LTI}target_link_uri`,
  Roles: `${LTI}roles`,
  RoleScopeMentor: `${LTI}role_scope_mentor`,
  Context: `${LTI}context`,
  ResourceLink: `${LTI}resource_link`,
  ToolPlatform: `${LTI}tool_platform`,
  LaunchPresentation: `${LTI}launch_presentation`,
  Custom: `${LTI}custom`,
  Lis: `${LTI}lis`,
  Ext: `${LTI}ext`,
  AgsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  NrpsService: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  DeepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  BasicOutcome: 'https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome',
} as const;

// Claim objects keep the platform's own (snake_case) member names and any member Ferry does not know
// yet, so what is stored is exactly what was signed.
type Open = Record<string, unknown>;

export interface ContextClaim extends Open {
  id: string;
  label?: string;
  title?: string;
  type?: string[];
}

export interface ResourceLinkClaim extends Open {
  id?: string;
  title?: string;
  description?: string;
}

export interface LaunchPresentationClaim extends Open {
  document_target?: string;
  height?: number;
  width?: number;
  return_url?: string;
  locale?: string;
}

export interface ToolPlatformClaim extends Open {
  guid?: string;
  name?: string;
  description?: string;
  contact_email?: string;
  url?: string;
  product_family_code?: string;
  version?: string;
}

export interface AgsEndpointClaim extends Open {
  scope?: string[];
  lineitems?: string;
  lineitem?: string;
}

export interface NrpsServiceClaim extends Open {
  context_memberships_url: string;
  service_versions?: string[];
}

export interface DeepLinkingSettingsClaim extends Open {
  /** Required of a deep linking request; the LTI launch validator refuses one without it. */
  deep_link_return_url: string;
  accept_types?: string[];
  accept_presentation_document_targets?: string[];
  accept_media_types?: string;
  accept_multiple?: boolean;
  accept_lineitem?: boolean;
  auto_create?: boolean;
  title?: string;
  text?: string;
  data?: string;
}

export interface BasicOutcomeClaim extends Open {
  lis_result_sourcedid?: string;
  lis_outcome_service_url?: string;
}

export interface LaunchUserClaims {
  sub: string;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  email: string | null;
  picture: string | null;
  locale: string | null;
  /** Moodle's login name (ext claim `user_username`). */
  username: string | null;
}

/** A verified id_token, typed. Every claim of the payload lands in exactly one field. */
export interface LaunchClaims {
  issuer: string;
  audience: string | string[];
  authorizedParty: string | null;
  issuedAt: number;
  expiresAt: number;
  notBefore: number | null;
  nonce: string;
  messageType: string;
  version: string;
  deploymentId: string;
  targetLinkUri: string | null;
  roles: string[];
  roleScopeMentor: string[] | null;
  user: LaunchUserClaims;
  context: ContextClaim | null;
  resourceLink: ResourceLinkClaim | null;
  launchPresentation: LaunchPresentationClaim | null;
  toolPlatform: ToolPlatformClaim | null;
  custom: Record<string, unknown> | null;
  lis: Open | null;
  ext: Open | null;
  agsEndpoint: AgsEndpointClaim | null;
  nrpsService: NrpsServiceClaim | null;
  deepLinkingSettings: DeepLinkingSettingsClaim | null;
  basicOutcome: BasicOutcomeClaim | null;
  /** The language to show: launch_presentation.locale, else the OIDC `locale` claim. */
  locale: string | null;
  /** Claims Ferry does not map (other specs, vendor extensions), unchanged. */
  otherClaims: Open;
}

/** The payload keys mapLaunchClaims reads; everything else goes to `otherClaims`. */
export const MAPPED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'aud',
  'azp',
  'iat',
  'exp',
  'nbf',
  'nonce',
  'sub',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'email',
  'picture',
  'locale',
  ...Object.values(LtiClaim),
]);

function invalid(claim: string, expected: string): never {
  throw new FerryError(
    ErrorCode.ClaimInvalid,
    `The id_token claim ${claim} is not ${expected}.`,
    { claim },
    'The platform sent a malformed LTI message; check the tool configuration and any plugin that alters LTI launches.',
  );
}

function isObject(value: unknown): value is Open {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(payload: Open, key: string, label = key): string | null {
  const value = payload[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') invalid(label, 'a string');
  return value;
}

function optionalNumber(payload: Open, key: string, label = key): number | null {
  const value = payload[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(label, 'a number');
  return value;
}

function optionalStringArray(payload: Open, key: string, label = key): string[] | null {
  const value = payload[key];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) invalid(label, 'an array of strings');
  return value as string[];
}

function optionalBoolean(payload: Open, key: string, label = key): void {
  const value = payload[key];
  if (value !== undefined && value !== null && typeof value !== 'boolean') invalid(label, 'true or false');
}

/**
 * Reads a claim object and checks the types of the members Ferry uses. `shape` names them; unknown
 * members are kept as they are.
 */
function optionalObject<T extends Open>(
  payload: Open,
  claim: string,
  shape: Record<string, 'string' | 'number' | 'boolean' | 'string[]'> = {},
  required: string[] = [],
): T | null {
  const value = payload[claim];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) invalid(claim, 'an object');
  for (const [member, type] of Object.entries(shape)) {
    const label = `${claim}#${member}`;
    if (required.includes(member) && (value[member] === undefined || value[member] === null)) {
      invalid(label, `present (it is required)`);
    }
    if (type === 'string') optionalString(value, member, label);
    else if (type === 'number') optionalNumber(value, member, label);
    else if (type === 'boolean') optionalBoolean(value, member, label);
    else optionalStringArray(value, member, label);
  }
  return value as T;
}

function requiredString(payload: Open, key: string): string {
  const value = optionalString(payload, key);
  if (value === null) invalid(key, 'present (it is required)');
  return value;
}

function requiredNumber(payload: Open, key: string): number {
  const value = optionalNumber(payload, key);
  if (value === null) invalid(key, 'present (it is required)');
  return value;
}

function audience(payload: Open): string | string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return aud;
  if (Array.isArray(aud) && aud.length > 0 && aud.every((item) => typeof item === 'string')) return aud as string[];
  return invalid('aud', 'a string or a non-empty array of strings');
}

/**
 * Maps a verified LTI 1.3 id_token payload to typed launch claims, checking the type of every claim
 * Ferry reads (a wrong type → `claim_invalid`). Pure: the LTI launch validator checks which claims
 * a message must carry before it calls this.
 */
export function mapLaunchClaims(payload: Record<string, unknown>): LaunchClaims {
  const ext = optionalObject<Open>(payload, LtiClaim.Ext);
  const launchPresentation = optionalObject<LaunchPresentationClaim>(payload, LtiClaim.LaunchPresentation, {
    document_target: 'string',
    height: 'number',
    width: 'number',
    return_url: 'string',
    locale: 'string',
  });
  const userLocale = optionalString(payload, 'locale');
  const roles = optionalStringArray(payload, LtiClaim.Roles);
  if (roles === null) invalid(LtiClaim.Roles, 'present (it is required)');

  const otherClaims: Open = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!MAPPED_CLAIMS.has(key)) otherClaims[key] = value;
  }

  return {
    issuer: requiredString(payload, 'iss'),
    audience: audience(payload),
    authorizedParty: optionalString(payload, 'azp'),
    issuedAt: requiredNumber(payload, 'iat'),
    expiresAt: requiredNumber(payload, 'exp'),
    notBefore: optionalNumber(payload, 'nbf'),
    nonce: requiredString(payload, 'nonce'),
    messageType: requiredString(payload, LtiClaim.MessageType),
    version: requiredString(payload, LtiClaim.Version),
    deploymentId: requiredString(payload, LtiClaim.DeploymentId),
    targetLinkUri: optionalString(payload, LtiClaim.TargetLinkUri),
    roles,
    roleScopeMentor: optionalStringArray(payload, LtiClaim.RoleScopeMentor),
    user: {
      sub: requiredString(payload, 'sub'),
      name: optionalString(payload, 'name'),
      givenName: optionalString(payload, 'given_name'),
      familyName: optionalString(payload, 'family_name'),
      middleName: optionalString(payload, 'middle_name'),
      email: optionalString(payload, 'email'),
      picture: optionalString(payload, 'picture'),
      locale: userLocale,
      username: ext ? optionalString(ext, 'user_username', `${LtiClaim.Ext}#user_username`) : null,
    },
    context: optionalObject<ContextClaim>(
      payload,
      LtiClaim.Context,
      { id: 'string', label: 'string', title: 'string', type: 'string[]' },
      ['id'],
    ),
    resourceLink: optionalObject<ResourceLinkClaim>(payload, LtiClaim.ResourceLink, {
      id: 'string',
      title: 'string',
      description: 'string',
    }),
    launchPresentation,
    toolPlatform: optionalObject<ToolPlatformClaim>(payload, LtiClaim.ToolPlatform, {
      guid: 'string',
      name: 'string',
      product_family_code: 'string',
      version: 'string',
    }),
    custom: optionalObject<Open>(payload, LtiClaim.Custom),
    lis: optionalObject<Open>(payload, LtiClaim.Lis),
    ext,
    agsEndpoint: optionalObject<AgsEndpointClaim>(payload, LtiClaim.AgsEndpoint, {
      scope: 'string[]',
      lineitems: 'string',
      lineitem: 'string',
    }),
    nrpsService: optionalObject<NrpsServiceClaim>(
      payload,
      LtiClaim.NrpsService,
      { context_memberships_url: 'string', service_versions: 'string[]' },
      ['context_memberships_url'],
    ),
    deepLinkingSettings: optionalObject<DeepLinkingSettingsClaim>(
      payload,
      LtiClaim.DeepLinkingSettings,
      {
        deep_link_return_url: 'string',
        accept_types: 'string[]',
        accept_presentation_document_targets: 'string[]',
        accept_multiple: 'boolean',
        auto_create: 'boolean',
        title: 'string',
        text: 'string',
        data: 'string',
      },
    ),
    basicOutcome: optionalObject<BasicOutcomeClaim>(payload, LtiClaim.BasicOutcome, {
      lis_result_sourcedid: 'string',
      lis_outcome_service_url: 'string',
    }),
    locale: launchPresentation?.locale ?? userLocale,
    otherClaims,
  };
}
