import { Injectable } from '@nestjs/common';
import {
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError } from '@ferry/errors';
import { LtiClaim, mapLaunchClaims, type LaunchClaims } from '@ferry/identity';
import { PlatformsService, type Deployment, type Platform } from '@ferry/platforms';
import { LtiStateStore, STATE_COOKIE_PREFIX, stateCookieName, type LoginState } from '../lti-state.store';
import { isOnOrigin } from '../origin';
import { PlatformKeysService } from './platform-keys.service';

/** The form Moodle posts to /lti/launch (OIDC form_post response). */
export interface LaunchForm {
  id_token?: unknown;
  state?: unknown;
  error?: unknown;
  error_description?: unknown;
}

export interface ValidatedLaunch {
  platform: Platform;
  deployment: Deployment;
  claims: LaunchClaims;
  payload: Record<string, unknown>;
  /** The state cookie to clear. */
  stateCookieName: string;
}

export const RESOURCE_LINK_REQUEST = 'LtiResourceLinkRequest';
export const DEEP_LINKING_REQUEST = 'LtiDeepLinkingRequest';
const SUPPORTED_MESSAGE_TYPES = new Set([RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST]);

const RELAUNCH = 'Open the activity again from the Moodle course page.';
const CHECK_CLOCKS = 'Check that the clocks of Moodle and Ferry are right (NTP), then launch again.';
const CHECK_KEYS =
  'In Moodle’s tool configuration, check that Ferry has the platform’s public keyset URL (…/mod/lti/certs.php) registered and that Moodle signs with a key it publishes.';
const CHECK_REGISTRATION =
  'Check that this Moodle is registered in Ferry with the platform ID and client ID shown in Moodle’s tool configuration.';
const MALFORMED_MESSAGE = 'The platform sent a launch that is not a valid LTI 1.3 message; check the Moodle version and any plugin that alters LTI launches.';

function fail(code: ErrorCode, message: string, hint: string, details?: unknown): never {
  throw new FerryError(code, message, details, hint);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Checks an LTI 1.3 launch (LTI 1.3 core §5.1.3, 1EdTech Security Framework §5.1.3) completely
 * before anything is written: state (one use, bound to the browser where cookies allow), signature
 * with the platform's keys, iss/aud/azp, timestamps, nonce, deployment and the claims the message
 * type requires. The nonce replay marker is the only write, and only after the signature verified.
 */
@Injectable()
export class LaunchValidator {
  constructor(
    private readonly config: FerryConfig,
    private readonly platforms: PlatformsService,
    private readonly platformKeys: PlatformKeysService,
    private readonly states: LtiStateStore,
  ) {}

  async validateLaunch(form: LaunchForm, cookies: Record<string, unknown>): Promise<ValidatedLaunch> {
    if (form.error !== undefined) await this.refusePlatformError(form);
    if (!isNonEmptyString(form.id_token) || !isNonEmptyString(form.state)) {
      fail(ErrorCode.LaunchInvalid, 'The launch lacks its id_token or state.', `${RELAUNCH} Ferry’s launch URL only accepts Moodle’s form post.`);
    }
    const loginState = await this.consumeState(form.state, cookies);
    const header = this.readHeader(form.id_token);

    const platform = await this.platforms.findForLaunch(loginState.platformId);
    if (!platform) fail(ErrorCode.UnknownPlatform, 'The platform of this launch is no longer registered in Ferry.', CHECK_REGISTRATION);
    this.ensureActive(platform);

    const payload = await this.verifySignatureAndTimes(form.id_token, header, platform);
    this.checkAudience(payload, platform);
    this.checkNonce(payload, loginState);
    const claims = this.checkLtiClaims(payload);
    const deployment = await this.platforms.resolveLaunchDeployment(platform, claims.deploymentId);

    const lifetime = claims.expiresAt + this.config.lti.clockSkewSeconds - Math.floor(Date.now() / 1000);
    if (!(await this.states.markNonceUsed(platform.id, claims.nonce, lifetime))) {
      fail(ErrorCode.NonceReused, 'This launch was already used.', RELAUNCH);
    }
    return { platform, deployment, claims, payload, stateCookieName: stateCookieName(form.state) };
  }

  private async refusePlatformError(form: LaunchForm): Promise<never> {
    if (isNonEmptyString(form.state)) await this.states.takeState(form.state);
    const error = String(form.error);
    const description = isNonEmptyString(form.error_description) ? form.error_description : null;
    fail(
      ErrorCode.PlatformError,
      `The platform refused the launch: ${error}${description ? ` (${description})` : ''}.`,
      'Moodle could not authenticate the launch. Check that the tool’s redirection URI in Moodle is exactly PUBLIC_URL/lti/launch, that the user is logged in to Moodle and may open the activity, then launch again.',
      { error, errorDescription: description },
    );
  }

  private async consumeState(state: string, cookies: Record<string, unknown>): Promise<LoginState> {
    const loginState = await this.states.takeState(state);
    if (!loginState) {
      fail(ErrorCode.StateInvalid, 'This launch is unknown or was already used.', RELAUNCH);
    }
    if (this.states.isExpired(loginState)) {
      fail(ErrorCode.StateExpired, 'This launch took too long and expired.', RELAUNCH);
    }
    // The cookie binds the state to the browser that started the login. Where third-party cookies
    // are blocked none arrives, and the one-time state in Redis is what holds (Moodle has no
    // postMessage platform storage). A browser showing other logins' cookies but not this one's is
    // carrying a state that another browser started.
    const stateCookies = Object.keys(cookies).filter((name) => name.startsWith(STATE_COOKIE_PREFIX));
    if (stateCookies.length > 0 && cookies[stateCookieName(state)] !== state) {
      fail(
        ErrorCode.StateCookieMismatch,
        'This launch was started in another browser or tab.',
        `${RELAUNCH} If it keeps happening, check that nothing between Moodle and Ferry rewrites cookies.`,
      );
    }
    return loginState;
  }

  private readHeader(idToken: string): ProtectedHeaderParameters {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(idToken);
      decodeJwt(idToken);
    } catch {
      fail(ErrorCode.TokenMalformed, 'The id_token is not a readable JWT.', MALFORMED_MESSAGE);
    }
    if (header.alg !== 'RS256') {
      fail(
        ErrorCode.AlgorithmNotAllowed,
        `The id_token is signed with ${String(header.alg)}; LTI 1.3 requires RS256.`,
        'Moodle signs launches with RS256; check that the platform is a real LTI 1.3 platform and its key type is RSA.',
        { alg: header.alg ?? null },
      );
    }
    if (!isNonEmptyString(header.kid)) {
      fail(ErrorCode.KidMissing, 'The id_token header has no key id (kid).', CHECK_KEYS);
    }
    return header;
  }

  private ensureActive(platform: Platform): void {
    if (platform.status !== 'active') {
      fail(ErrorCode.PlatformInactive, 'Ferry is switched off for this platform.', 'A Ferry operator deactivated this platform; ask them to reactivate it.', {
        platformId: platform.id,
      });
    }
  }

  private async verifySignatureAndTimes(idToken: string, header: ProtectedHeaderParameters, platform: Platform): Promise<JWTPayload> {
    const skew = this.config.lti.clockSkewSeconds;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.platformKeys.keySetFor(platform.jwksUrl), {
        algorithms: ['RS256'],
        issuer: platform.issuer,
        clockTolerance: skew,
        requiredClaims: ['iat', 'exp'],
      }));
    } catch (error) {
      this.failVerification(error, header, platform);
    }
    if (payload.iat! > Math.floor(Date.now() / 1000) + skew) {
      fail(ErrorCode.IssuedAtInvalid, 'The id_token claims to be issued in the future.', CHECK_CLOCKS, { iat: payload.iat });
    }
    return payload;
  }

  private failVerification(error: unknown, header: ProtectedHeaderParameters, platform: Platform): never {
    if (error instanceof FerryError) throw error;
    if (error instanceof joseErrors.JWKSNoMatchingKey) {
      fail(ErrorCode.KidUnknown, 'The id_token is signed with a key the platform does not publish.', CHECK_KEYS, { kid: header.kid });
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
      fail(ErrorCode.SignatureInvalid, 'The id_token signature does not verify with the platform’s key.', CHECK_KEYS, { kid: header.kid });
    }
    if (error instanceof joseErrors.JOSEAlgNotAllowed) {
      fail(ErrorCode.AlgorithmNotAllowed, 'The id_token is not signed with RS256.', CHECK_KEYS);
    }
    if (error instanceof joseErrors.JWTExpired) {
      fail(ErrorCode.TokenExpired, 'The id_token has expired.', CHECK_CLOCKS);
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      switch (error.claim) {
        case 'iss':
          return fail(ErrorCode.IssuerMismatch, 'The id_token was issued by another platform than the one that started the login.', CHECK_REGISTRATION, {
            expected: platform.issuer,
          });
        case 'nbf':
          return fail(ErrorCode.TokenNotYetValid, 'The id_token is not valid yet.', CHECK_CLOCKS);
        case 'iat':
          return fail(ErrorCode.IssuedAtInvalid, 'The id_token has no valid issue time (iat).', MALFORMED_MESSAGE);
        default:
          return fail(ErrorCode.ClaimInvalid, `The id_token claim ${error.claim} is missing or invalid.`, MALFORMED_MESSAGE, {
            claim: error.claim,
          });
      }
    }
    fail(ErrorCode.TokenMalformed, 'The id_token is not a valid JWT.', MALFORMED_MESSAGE);
  }

  private checkAudience(payload: JWTPayload, platform: Platform): void {
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
    if (!audiences.includes(platform.clientId)) {
      fail(ErrorCode.AudienceMismatch, 'The id_token is meant for another tool (aud).', CHECK_REGISTRATION, {
        expected: platform.clientId,
      });
    }
    // OIDC Core §3.1.3.7: with several audiences azp must name us; when present it must anyway.
    const azp = payload.azp;
    if ((audiences.length > 1 || azp !== undefined) && azp !== platform.clientId) {
      fail(ErrorCode.AuthorizedPartyMismatch, 'The id_token names another tool as its authorized party (azp).', CHECK_REGISTRATION, {
        expected: platform.clientId,
      });
    }
  }

  private checkNonce(payload: JWTPayload, loginState: LoginState): void {
    if (!isNonEmptyString(payload.nonce)) fail(ErrorCode.NonceMissing, 'The id_token has no nonce.', MALFORMED_MESSAGE);
    if (payload.nonce !== loginState.nonce) {
      fail(ErrorCode.NonceMismatch, 'The id_token does not belong to this login (nonce).', RELAUNCH);
    }
  }

  private checkLtiClaims(payload: JWTPayload): LaunchClaims {
    const deploymentId = payload[LtiClaim.DeploymentId];
    if (deploymentId === undefined || deploymentId === null || deploymentId === '') {
      fail(ErrorCode.DeploymentMissing, 'The launch names no deployment.', MALFORMED_MESSAGE);
    }
    const messageType = payload[LtiClaim.MessageType];
    if (messageType === undefined || messageType === null || messageType === '') {
      fail(ErrorCode.MessageTypeMissing, 'The launch has no LTI message type.', MALFORMED_MESSAGE);
    }
    if (typeof messageType !== 'string' || !SUPPORTED_MESSAGE_TYPES.has(messageType)) {
      fail(
        ErrorCode.MessageTypeUnsupported,
        `Ferry does not handle LTI messages of type ${String(messageType)}.`,
        'Ferry handles resource link launches and deep linking requests; check the activity’s type in Moodle.',
        { messageType },
      );
    }
    const version = payload[LtiClaim.Version];
    if (version === undefined || version === null || version === '') {
      fail(ErrorCode.VersionMissing, 'The launch has no LTI version.', MALFORMED_MESSAGE);
    }
    if (version !== '1.3.0') {
      fail(ErrorCode.VersionUnsupported, `Ferry speaks LTI 1.3.0, not ${String(version)}.`, 'Configure the tool in Moodle as LTI 1.3.', {
        version,
      });
    }
    if (!isNonEmptyString(payload.sub)) {
      fail(
        ErrorCode.SubjectMissing,
        'The launch does not say who the user is (sub).',
        'Ferry needs to know the user: anonymous launches are not supported.',
      );
    }
    if (!Array.isArray(payload[LtiClaim.Roles])) {
      fail(ErrorCode.RolesMissing, 'The launch has no roles claim.', MALFORMED_MESSAGE);
    }

    const claims = mapLaunchClaims(payload as Record<string, unknown>);

    if (claims.targetLinkUri !== null && !isOnOrigin(claims.targetLinkUri, this.config.publicOrigin)) {
      fail(
        ErrorCode.TargetLinkUriInvalid,
        'The launch asks for a page that is not part of Ferry.',
        `The tool URL in Moodle must start with ${this.config.publicUrl} (use ${this.config.publicUrl}/lti/launch).`,
        { targetLinkUri: claims.targetLinkUri },
      );
    }
    if (claims.messageType === RESOURCE_LINK_REQUEST && !isNonEmptyString(claims.resourceLink?.id)) {
      fail(ErrorCode.ResourceLinkMissing, 'The launch names no resource link.', MALFORMED_MESSAGE);
    }
    if (claims.messageType === DEEP_LINKING_REQUEST && !isNonEmptyString(claims.deepLinkingSettings?.deep_link_return_url)) {
      fail(
        ErrorCode.DeepLinkingSettingsMissing,
        'The deep linking request has no deep linking settings or return URL.',
        MALFORMED_MESSAGE,
      );
    }
    return claims;
  }
}
