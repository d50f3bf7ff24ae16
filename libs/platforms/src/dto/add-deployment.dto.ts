import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { Trim } from './trim';

/** POST /api/platforms/:id/deployments, and `ferry deployment add`. */
export class AddDeploymentDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  deploymentId: string;

  @IsOptional()
  @Trim()
  @IsString()
  name?: string;
}
