import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FerryConfig } from '@ferry/config';
import { SecretBox } from '@ferry/crypto';
import { ErrorCode, FerryError, ValidationFailedError } from '@ferry/errors';
import { PlatformsService } from '@ferry/platforms';
import { MoodleToken } from '../connections/moodle-token.entity';
import { discoverEndpoints, providerPresets, type OauthClient, type OauthEndpoints, type ProviderPreset } from '../oauth/oauth-endpoints';
import { MoodleSettingsCheck, settingsCheckFailed } from './moodle-settings-check';
import type { SaveMoodleSettingsDto } from './moodle-settings.dto';
import { PlatformMoodleSettings, type MoodleConnectionMethod, type OauthProvider } from './platform-moodle-settings.entity';

export const DEFAULT_LOGIN_SERVICE = 'moodle_mobile_app';

/** GET /api/platform/moodle-settings: everything but the client secret, which is write-only. */
export interface MoodleSettingsView {
  configured: boolean;
  moodleUrl: string | null;
  method: MoodleConnectionMethod | null;
  service: string | null;
  oauth: {
    provider: OauthProvider;
    clientId: string;
    clientSecretSet: boolean;
    authorizeUrl: string;
    tokenUrl: string;
    revokeUrl: string | null;
    scope: string;
  } | null;
  /** What the setup form starts from: the issuer (Moodle's site URL) and the known plugins' endpoints there. */
  suggestions: { moodleUrl: string; providers: Record<Exclude<OauthProvider, 'custom'>, ProviderPreset> };
}

/** A platform's OAuth client, opened for use: the endpoints and the client secret in the clear. */
export interface PlatformOauthClient {
  endpoints: OauthEndpoints;
  client: OauthClient;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Each platform's Moodle connection settings: read, saved after a live check, reset. */
@Injectable()
export class MoodleSettingsService {
  constructor(
    @InjectRepository(PlatformMoodleSettings) private readonly settings: Repository<PlatformMoodleSettings>,
    @InjectRepository(MoodleToken) private readonly tokens: Repository<MoodleToken>,
    private readonly platforms: PlatformsService,
    private readonly secrets: SecretBox,
    private readonly checker: MoodleSettingsCheck,
    private readonly config: FerryConfig,
  ) {}

  find(platformId: string): Promise<PlatformMoodleSettings | null> {
    return this.settings.findOneBy({ platformId });
  }

  /** The settings, or 409 `moodle_not_configured` when no admin has set this platform up yet. */
  async require(platformId: string): Promise<PlatformMoodleSettings> {
    const found = await this.find(platformId);
    if (!found) {
      throw new FerryError(ErrorCode.MoodleNotConfigured, 'Ferry does not know how to reach this platform’s Moodle yet.', undefined, 'A Moodle admin opens Ferry from Moodle and completes the platform setup.');
    }
    return found;
  }

  async view(platformId: string): Promise<MoodleSettingsView> {
    const platform = await this.platforms.get(platformId);
    const stored = await this.find(platformId);
    const suggestedUrl = trimSlash(stored?.moodleUrl ?? platform.issuer);
    const suggestions = { moodleUrl: trimSlash(platform.issuer), providers: providerPresets(suggestedUrl) };
    if (!stored) return { configured: false, moodleUrl: null, method: null, service: null, oauth: null, suggestions };
    return {
      configured: true,
      moodleUrl: stored.moodleUrl,
      method: stored.method,
      service: stored.service,
      oauth:
        stored.method === 'oauth' && stored.oauthClientId && stored.oauthAuthorizeUrl && stored.oauthTokenUrl
          ? {
              provider: stored.oauthProvider ?? 'custom',
              clientId: stored.oauthClientId,
              clientSecretSet: stored.oauthClientSecret !== null,
              authorizeUrl: stored.oauthAuthorizeUrl,
              tokenUrl: stored.oauthTokenUrl,
              revokeUrl: stored.oauthRevokeUrl,
              scope: stored.oauthScope ?? '',
            }
          : null,
      suggestions,
    };
  }

  /** Checks the settings live with Moodle, then saves them; a failed check saves nothing. */
  async save(platformId: string, input: SaveMoodleSettingsDto): Promise<MoodleSettingsView> {
    await this.platforms.get(platformId);
    const moodleUrl = trimSlash(input.moodleUrl);
    this.assertAllowedScheme({ moodleUrl, authorizeUrl: input.oauth?.authorizeUrl, tokenUrl: input.oauth?.tokenUrl, revokeUrl: input.oauth?.revokeUrl });
    const existing = await this.find(platformId);
    const oauth = input.method === 'oauth' ? await this.resolveOauth(moodleUrl, input, existing) : null;
    const service = input.method === 'credentials' ? (input.service ?? DEFAULT_LOGIN_SERVICE) : null;

    await this.checker.check({ moodleUrl, method: input.method, service, oauth: oauth && { endpoints: oauth.endpoints, client: oauth.client } });

    const row = this.settings.create({
      platformId,
      moodleUrl,
      method: input.method,
      service,
      oauthProvider: oauth?.provider ?? null,
      oauthClientId: oauth?.client.clientId ?? null,
      oauthClientSecret: oauth ? this.secrets.seal(oauth.client.clientSecret) : null,
      oauthAuthorizeUrl: oauth?.endpoints.authorizeUrl ?? null,
      oauthTokenUrl: oauth?.endpoints.tokenUrl ?? null,
      oauthRevokeUrl: oauth?.endpoints.revokeUrl ?? null,
      oauthScope: oauth?.endpoints.scope ?? null,
    });
    await this.settings.manager.transaction(async (manager) => {
      await manager.save(row);
      // Tokens of another Moodle are of no use here, and must not be sent to the new address.
      if (existing && trimSlash(existing.moodleUrl) !== moodleUrl) await manager.delete(MoodleToken, { platformId });
    });
    return this.view(platformId);
  }

  /** Forgets the settings and every admin's token on this platform; the next admin launch sets it up again. */
  async reset(platformId: string): Promise<void> {
    await this.platforms.get(platformId);
    await this.settings.manager.transaction(async (manager) => {
      await manager.delete(MoodleToken, { platformId });
      await manager.delete(PlatformMoodleSettings, { platformId });
    });
  }

  /** The stored OAuth client, secret opened; null unless the platform connects through OAuth. */
  oauthClientOf(settings: PlatformMoodleSettings): PlatformOauthClient | null {
    if (settings.method !== 'oauth' || !settings.oauthClientId || !settings.oauthClientSecret || !settings.oauthAuthorizeUrl || !settings.oauthTokenUrl) {
      return null;
    }
    return {
      endpoints: {
        issuer: settings.moodleUrl,
        authorizeUrl: settings.oauthAuthorizeUrl,
        tokenUrl: settings.oauthTokenUrl,
        revokeUrl: settings.oauthRevokeUrl,
        scope: settings.oauthScope ?? '',
      },
      client: { clientId: settings.oauthClientId, clientSecret: this.secrets.open(settings.oauthClientSecret) },
    };
  }

  /**
   * The OAuth client as it will be stored: endpoints typed in win, then the provider's RFC 8414
   * metadata, then the plugin's usual paths; a blank secret keeps the stored one.
   */
  private async resolveOauth(moodleUrl: string, input: SaveMoodleSettingsDto, existing: PlatformMoodleSettings | null) {
    const given = input.oauth!;
    const storedSecret = existing?.oauthClientSecret ? this.secrets.open(existing.oauthClientSecret) : null;
    const clientSecret = given.clientSecret ?? storedSecret;
    if (!clientSecret) throw new ValidationFailedError({ 'oauth.clientSecret': ['oauth.clientSecret is required: no secret is stored yet'] });
    const client: OauthClient = { clientId: given.clientId, clientSecret };
    const provider = given.provider ?? 'custom';
    const preset = provider === 'custom' ? null : providerPresets(moodleUrl)[provider];

    let discovered: Awaited<ReturnType<typeof discoverEndpoints>> = null;
    if (!given.authorizeUrl || !given.tokenUrl) discovered = await discoverEndpoints(moodleUrl, client, this.config.allowInsecurePlatformUrls);
    const authorizeUrl = given.authorizeUrl ?? discovered?.authorizeUrl ?? preset?.authorizeUrl;
    const tokenUrl = given.tokenUrl ?? discovered?.tokenUrl ?? preset?.tokenUrl;
    if (!authorizeUrl || !tokenUrl) {
      throw settingsCheckFailed(
        ErrorCode.OauthEndpointInvalid,
        'Moodle publishes no OAuth server metadata, so Ferry cannot tell its endpoints.',
        authorizeUrl ? 'tokenUrl' : 'authorizeUrl',
        {},
        'Enter the authorize and token URLs of the OAuth provider plugin.',
      );
    }
    const endpoints: OauthEndpoints = {
      issuer: discovered?.issuer ?? moodleUrl,
      authorizeUrl,
      tokenUrl,
      revokeUrl: given.revokeUrl ?? discovered?.revokeUrl ?? (given.authorizeUrl ? null : (preset?.revokeUrl ?? null)),
      scope: given.scope ?? preset?.scope ?? '',
    };
    return { provider, client, endpoints };
  }

  /** https only, unless ALLOW_INSECURE_PLATFORM_URLS (local development and tests) allows http. */
  private assertAllowedScheme(urls: Record<string, string | undefined>): void {
    if (this.config.allowInsecurePlatformUrls) return;
    const fields: Record<string, string[]> = {};
    for (const [field, value] of Object.entries(urls)) {
      if (value !== undefined && new URL(value).protocol !== 'https:') fields[field === 'moodleUrl' ? field : `oauth.${field}`] = [`${field} must be an https:// URL`];
    }
    if (Object.keys(fields).length > 0) throw new FerryError(ErrorCode.InsecurePlatformUrl, 'Moodle must be reached over https.', { fields });
  }
}
