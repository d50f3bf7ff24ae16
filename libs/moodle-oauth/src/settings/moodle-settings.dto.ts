import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsAbsoluteHttpUrl, Trim } from '@ferry/platforms';
import type { MoodleConnectionMethod, OauthProvider } from './platform-moodle-settings.entity';

export const CONNECTION_METHODS: MoodleConnectionMethod[] = ['oauth', 'wstoken', 'credentials'];
export const OAUTH_PROVIDERS: OauthProvider[] = ['local_oauthmcp', 'local_oauth2', 'custom'];

export class OauthClientSettingsDto {
  @IsOptional()
  @IsIn(OAUTH_PROVIDERS)
  provider?: OauthProvider;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  clientId: string;

  /** Write-only; omitted to keep the stored secret. Never trimmed: a secret is exactly what was typed. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  clientSecret?: string;

  // Blank endpoints are read from the provider's discovery metadata (RFC 8414).
  @Trim()
  @IsOptional()
  @IsAbsoluteHttpUrl()
  authorizeUrl?: string;

  @Trim()
  @IsOptional()
  @IsAbsoluteHttpUrl()
  tokenUrl?: string;

  @Trim()
  @IsOptional()
  @IsAbsoluteHttpUrl()
  revokeUrl?: string;

  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  scope?: string;
}

/** PUT /api/platform/moodle-settings (and the operator's /api/platforms/:platformId/moodle-settings). */
export class SaveMoodleSettingsDto {
  @Trim()
  @IsAbsoluteHttpUrl()
  moodleUrl: string;

  @IsIn(CONNECTION_METHODS, { message: `method must be one of ${CONNECTION_METHODS.join(', ')}` })
  method: MoodleConnectionMethod;

  /** The external service whose tokens login/token.php hands out (method `credentials`). */
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  service?: string;

  @ValidateIf((dto: SaveMoodleSettingsDto) => dto.method === 'oauth' || dto.oauth !== undefined)
  @IsDefined({ message: 'oauth (client id, secret and endpoints) is required for the oauth method' })
  @ValidateNested()
  @Type(() => OauthClientSettingsDto)
  oauth?: OauthClientSettingsDto;
}
