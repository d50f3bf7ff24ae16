import { IsIn, IsNotEmpty, IsString, ValidateIf } from 'class-validator';
import type { PlatformStatus, UnknownDeploymentPolicy } from '../platform.entity';
import { IsAbsoluteHttpUrl } from './absolute-url';
import { UNKNOWN_DEPLOYMENT_POLICIES } from './create-platform.dto';
import { Trim } from './trim';

const PLATFORM_STATUSES: PlatformStatus[] = ['active', 'inactive'];

// Omitted fields stay as they are; an explicit null is validated (and refused), not skipped as
// @IsOptional would, since every column here is NOT NULL.
const present = (_dto: object, value: unknown) => value !== undefined;

/**
 * PATCH /api/platforms/:id. Issuer and client id are not editable: a platform admin may patch their
 * own platform and must not re-point it at another Moodle. A wrong registration is deactivated and
 * registered again.
 */
export class UpdatePlatformDto {
  @ValidateIf(present)
  @Trim()
  @IsString()
  @IsNotEmpty()
  name?: string;

  @ValidateIf(present)
  @Trim()
  @IsAbsoluteHttpUrl()
  authLoginUrl?: string;

  @ValidateIf(present)
  @Trim()
  @IsAbsoluteHttpUrl()
  accessTokenUrl?: string;

  @ValidateIf(present)
  @Trim()
  @IsAbsoluteHttpUrl()
  jwksUrl?: string;

  @ValidateIf(present)
  @IsIn(PLATFORM_STATUSES)
  status?: PlatformStatus;

  @ValidateIf(present)
  @IsIn(UNKNOWN_DEPLOYMENT_POLICIES)
  unknownDeploymentPolicy?: UnknownDeploymentPolicy;
}
