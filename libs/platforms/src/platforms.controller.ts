import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { Authenticated, type AuthPolicy } from '@ferry/identity';
import { AddDeploymentDto } from './dto/add-deployment.dto';
import { CreatePlatformDto } from './dto/create-platform.dto';
import { toDeploymentResponse, toPlatformResponse, type DeploymentResponse, type PlatformResponse } from './dto/platform.dto';
import { UpdatePlatformDto } from './dto/update-platform.dto';
import { PlatformsService } from './platforms.service';

const OPERATOR_ONLY: AuthPolicy = { operator: true, roles: [] };
// A platform's own admins may read and manage it; any other platform id answers 404.
const OPERATOR_OR_OWN_ADMIN: AuthPolicy = { operator: true, roles: ['admin'], platformParam: 'id' };

/** The operator API of CONTRACT.md. */
@Controller('api/platforms')
export class PlatformsController {
  constructor(private readonly platforms: PlatformsService) {}

  @Post()
  @Authenticated(OPERATOR_ONLY)
  async create(@Body() body: CreatePlatformDto): Promise<PlatformResponse> {
    return toPlatformResponse(await this.platforms.create(body));
  }

  @Get()
  @Authenticated(OPERATOR_ONLY)
  async list(): Promise<PlatformResponse[]> {
    return (await this.platforms.list()).map(toPlatformResponse);
  }

  @Get(':id')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  async get(@Param('id') id: string): Promise<PlatformResponse> {
    return toPlatformResponse(await this.platforms.get(id));
  }

  @Patch(':id')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  async update(@Param('id') id: string, @Body() body: UpdatePlatformDto): Promise<PlatformResponse> {
    return toPlatformResponse(await this.platforms.update(id, body));
  }

  @Delete(':id')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  async deactivate(@Param('id') id: string): Promise<PlatformResponse> {
    return toPlatformResponse(await this.platforms.deactivate(id));
  }

  @Post(':id/deployments')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  async addDeployment(@Param('id') id: string, @Body() body: AddDeploymentDto): Promise<DeploymentResponse> {
    return toDeploymentResponse(await this.platforms.addDeployment(id, body));
  }

  @Delete(':id/deployments/:deploymentId')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  @HttpCode(HttpStatus.NO_CONTENT)
  async removeDeployment(@Param('id') id: string, @Param('deploymentId') deploymentId: string): Promise<void> {
    await this.platforms.removeDeployment(id, deploymentId);
  }
}
