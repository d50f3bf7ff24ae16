import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Authenticated, CurrentPrincipal, type AuthPolicy, type Principal } from '@ferry/identity';
import type { MoodleTokenOwner } from '@ferry/moodle-ws';
import { ConnectWithCredentialsDto, ConnectWithTokenDto } from './connect.dto';
import { MoodleConnectionsService, type MoodleConnectionView } from './moodle-connections.service';

export const PLATFORM_ADMIN: AuthPolicy = { roles: ['admin'] };

/** The admin's own Moodle token: the policy admits session users only, never the operator. */
export function ownerOf(principal: Principal): MoodleTokenOwner {
  if (principal.kind !== 'user') throw new Error('A Moodle connection belongs to a platform admin session.');
  return { platformId: principal.platformId, userId: principal.userId };
}

/** CONTRACT.md: the calling admin's own connection to their platform's Moodle. */
@Controller('api/moodle-connection')
export class MoodleConnectionController {
  constructor(private readonly connections: MoodleConnectionsService) {}

  @Get()
  @Authenticated(PLATFORM_ADMIN)
  get(@CurrentPrincipal() principal: Principal): Promise<MoodleConnectionView> {
    return this.connections.connection(ownerOf(principal));
  }

  @Post('token')
  @HttpCode(HttpStatus.OK)
  @Authenticated(PLATFORM_ADMIN)
  connectWithToken(@CurrentPrincipal() principal: Principal, @Body() body: ConnectWithTokenDto): Promise<MoodleConnectionView> {
    return this.connections.connectWithToken(ownerOf(principal), body.token);
  }

  @Post('credentials')
  @HttpCode(HttpStatus.OK)
  @Authenticated(PLATFORM_ADMIN)
  connectWithCredentials(@CurrentPrincipal() principal: Principal, @Body() body: ConnectWithCredentialsDto): Promise<MoodleConnectionView> {
    return this.connections.connectWithCredentials(ownerOf(principal), body);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated(PLATFORM_ADMIN)
  async disconnect(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.connections.disconnect(ownerOf(principal));
  }
}
