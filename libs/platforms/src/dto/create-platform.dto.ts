import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import type { UnknownDeploymentPolicy } from '../platform.entity';
import { IsAbsoluteHttpUrl } from './absolute-url';
import { Trim } from './trim';

export const UNKNOWN_DEPLOYMENT_POLICIES: UnknownDeploymentPolicy[] = ['refuse', 'register'];

/** POST /api/platforms, and `ferry platform add`. */
export class CreatePlatformDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  name: string;

  @Trim()
  @IsAbsoluteHttpUrl()
  issuer: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  clientId: string;

  @Trim()
  @IsAbsoluteHttpUrl()
  authLoginUrl: string;

  @Trim()
  @IsAbsoluteHttpUrl()
  accessTokenUrl: string;

  @Trim()
  @IsAbsoluteHttpUrl()
  jwksUrl: string;

  @Trim()
  @IsArray()
  @ArrayUnique({ message: 'deploymentIds must not repeat a deployment id' })
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  deploymentIds: string[];

  @IsOptional()
  @IsIn(UNKNOWN_DEPLOYMENT_POLICIES)
  unknownDeploymentPolicy?: UnknownDeploymentPolicy;
}
