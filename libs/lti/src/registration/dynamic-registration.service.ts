import { Injectable, Logger } from '@nestjs/common';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError } from '@ferry/errors';
import { PlatformsService, type Platform } from '@ferry/platforms';

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const FETCH_TIMEOUT_MS = 10_000;
const SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];
const CHECK_MOODLE =
  'Start the registration again from Site administration → Plugins → Activity modules → External tool → Manage tools ("Add tool" by URL).';

export interface RegistrationRequest {
  openidConfiguration: string;
  registrationToken?: string;
}

export interface CompletedRegistration {
  platform: Platform;
  deploymentId: string;
  /** True when the platform waits for an operator to activate it (LTI_DYNAMIC_REGISTRATION=approval). */
  awaitingApproval: boolean;
  /** False when the platform was already registered and only gained a deployment. */
  newPlatform: boolean;
}

/** The part of a platform's OpenID configuration Ferry reads. */
interface PlatformOpenIdConfiguration {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  registrationEndpoint: string;
  productFamilyCode: string | null;
  version: string | null;
}

function fail(code: ErrorCode, message: string, hint = CHECK_MOODLE, details?: unknown): never {
  throw new FerryError(code, message, details, hint);
}

/**
 * LTI Dynamic Registration, tool side: read the platform's OpenID configuration, post Ferry's
 * registration to its registration endpoint with the one-time registration token, and record the
 * platform (or a new deployment of a known one) from what the platform answers.
 */
@Injectable()
export class DynamicRegistrationService {
  private readonly logger = new Logger(DynamicRegistrationService.name);

  constructor(
    private readonly config: FerryConfig,
    private readonly platforms: PlatformsService,
  ) {}

  async register(request: RegistrationRequest): Promise<CompletedRegistration> {
    if (this.config.lti.dynamicRegistration === 'off') {
      fail(
        ErrorCode.RegistrationDisabled,
        'This Ferry does not accept dynamic registration.',
        'Ask the Ferry operator to register this Moodle (README: "Register Ferry in Moodle"), then configure the tool manually.',
      );
    }
    const configuration = await this.readConfiguration(request.openidConfiguration);
    const registered = await this.postRegistration(configuration, request.registrationToken);
    return this.record(configuration, registered);
  }

  /** The URL checks that also decide which origin may frame the registration page. */
  platformOriginOf(openidConfiguration: unknown): string | null {
    if (typeof openidConfiguration !== 'string' || !URL.canParse(openidConfiguration)) return null;
    const url = new URL(openidConfiguration);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && this.config.allowInsecurePlatformUrls)) return url.origin;
    return null;
  }

  private async readConfiguration(openidConfiguration: string): Promise<PlatformOpenIdConfiguration> {
    const origin = this.platformOriginOf(openidConfiguration);
    if (!origin) {
      fail(ErrorCode.RegistrationInvalid, 'The registration request has no valid openid_configuration URL (https required).');
    }
    const body = await this.fetchJson(openidConfiguration, { method: 'GET', headers: { accept: 'application/json' } }, 'read');
    const text = (key: string): string | null => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : null);
    const configuration = {
      issuer: text('issuer'),
      authorizationEndpoint: text('authorization_endpoint'),
      tokenEndpoint: text('token_endpoint'),
      jwksUri: text('jwks_uri'),
      registrationEndpoint: text('registration_endpoint'),
    };
    const missing = Object.entries(configuration)
      .filter(([, value]) => value === null)
      .map(([key]) => key);
    if (missing.length > 0) {
      fail(ErrorCode.RegistrationFailed, `The platform's OpenID configuration lacks ${missing.join(', ')}.`, CHECK_MOODLE, { missing });
    }
    // The configuration must come from the issuer itself, so no other site can register in its name.
    if (new URL(configuration.issuer as string).origin !== origin) {
      fail(ErrorCode.RegistrationInvalid, 'The OpenID configuration is not served by the issuer it names.', CHECK_MOODLE, {
        issuer: configuration.issuer,
      });
    }
    for (const url of [configuration.authorizationEndpoint, configuration.tokenEndpoint, configuration.jwksUri, configuration.registrationEndpoint]) {
      if (!this.platformOriginOf(url)) {
        fail(ErrorCode.RegistrationFailed, `The platform's OpenID configuration has an endpoint Ferry cannot use: ${url}.`);
      }
    }
    // Some Moodle versions wrote this key with a trailing space.
    const platformKey = Object.keys(body).find((key) => key.trim() === PLATFORM_CONFIGURATION);
    const platformConfiguration = (platformKey ? body[platformKey] : null) as Record<string, unknown> | null;
    return {
      ...(configuration as Omit<PlatformOpenIdConfiguration, 'productFamilyCode' | 'version'>),
      productFamilyCode: typeof platformConfiguration?.product_family_code === 'string' ? platformConfiguration.product_family_code : null,
      version: typeof platformConfiguration?.version === 'string' ? platformConfiguration.version : null,
    };
  }

  private async postRegistration(
    configuration: PlatformOpenIdConfiguration,
    registrationToken: string | undefined,
  ): Promise<{ clientId: string; deploymentId: string }> {
    const publicUrl = this.config.publicUrl;
    const registration = {
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: `${publicUrl}/lti/login`,
      redirect_uris: [`${publicUrl}/lti/launch`],
      client_name: 'Ferry',
      jwks_uri: `${publicUrl}/.well-known/jwks.json`,
      token_endpoint_auth_method: 'private_key_jwt',
      scope: SCOPES.join(' '),
      [TOOL_CONFIGURATION]: {
        domain: new URL(publicUrl).host,
        description: 'Move course files to Azure Blob Storage and host embedded activities.',
        target_link_uri: `${publicUrl}/lti/launch`,
        claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
        messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: `${publicUrl}/lti/launch`, label: 'Ferry' }],
      },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (registrationToken) headers.authorization = `Bearer ${registrationToken}`;
    const answer = await this.fetchJson(
      configuration.registrationEndpoint,
      { method: 'POST', headers, body: JSON.stringify(registration) },
      'register',
    );
    const toolConfiguration = answer[TOOL_CONFIGURATION] as Record<string, unknown> | undefined;
    const clientId = answer.client_id;
    const deploymentId = toolConfiguration?.deployment_id;
    if (typeof clientId !== 'string' || clientId === '' || typeof deploymentId !== 'string' || deploymentId === '') {
      fail(ErrorCode.RegistrationFailed, 'The platform accepted the registration but sent no client id or deployment id.');
    }
    return { clientId, deploymentId };
  }

  private async record(
    configuration: PlatformOpenIdConfiguration,
    registered: { clientId: string; deploymentId: string },
  ): Promise<CompletedRegistration> {
    const existing = await this.platforms.findByIssuerAndClientId(configuration.issuer, registered.clientId);
    if (existing) {
      const known = existing.deployments?.some((deployment) => deployment.deploymentId === registered.deploymentId && deployment.active);
      if (!known) await this.platforms.addDeployment(existing.id, { deploymentId: registered.deploymentId });
      const platform = await this.platforms.get(existing.id);
      return { platform, deploymentId: registered.deploymentId, awaitingApproval: platform.status !== 'active', newPlatform: false };
    }
    const host = new URL(configuration.issuer).host;
    const family = configuration.productFamilyCode === 'moodle' ? 'Moodle' : (configuration.productFamilyCode ?? 'LTI platform');
    let platform = await this.platforms.create({
      name: `${family} at ${host}`,
      issuer: configuration.issuer,
      clientId: registered.clientId,
      authLoginUrl: configuration.authorizationEndpoint,
      accessTokenUrl: configuration.tokenEndpoint,
      jwksUrl: configuration.jwksUri,
      deploymentIds: [registered.deploymentId],
    });
    const awaitingApproval = this.config.lti.dynamicRegistration === 'approval';
    if (awaitingApproval) platform = await this.platforms.deactivate(platform.id);
    this.logger.log(
      `Registered ${platform.name} (issuer ${platform.issuer}, client ${platform.clientId}) by dynamic registration` +
        (awaitingApproval ? '; inactive until an operator activates it' : ''),
    );
    return { platform, deploymentId: registered.deploymentId, awaitingApproval, newPlatform: true };
  }

  private async fetchJson(url: string, init: RequestInit, step: 'read' | 'register'): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      const what = step === 'read' ? 'read the platform’s OpenID configuration' : 'reach the platform’s registration endpoint';
      fail(ErrorCode.RegistrationFailed, `Ferry could not ${what}: ${(error as Error).message}.`, CHECK_MOODLE, { url });
    }
    const text = await response.text();
    if (!response.ok) {
      // Moodle answers a refused registration with a short plain message, e.g. token_already_used.
      fail(
        ErrorCode.RegistrationFailed,
        `The platform answered HTTP ${response.status} to the ${step === 'read' ? 'configuration request' : 'registration'}${text ? `: ${text.slice(0, 200)}` : ''}.`,
        CHECK_MOODLE,
        { url, status: response.status },
      );
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through
    }
    fail(ErrorCode.RegistrationFailed, `The platform's ${step === 'read' ? 'OpenID configuration' : 'registration answer'} is not a JSON object.`, CHECK_MOODLE, { url });
  }
}
