import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { UserPrincipal } from '../auth/principal';
import { CreateSessionDto } from './dto/create-session.dto';
import { toMeDto, toSessionDto, type MeDto, type SessionDto } from './dto/session.dto';
import { SessionService } from './session.service';

@Controller('api')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Post('session')
  @HttpCode(HttpStatus.OK)
  async createSession(@Body() body: CreateSessionDto): Promise<SessionDto> {
    return toSessionDto(await this.sessions.redeemLaunchCode(body.code));
  }

  @Get('me')
  @Authenticated()
  async me(@CurrentPrincipal() principal: UserPrincipal): Promise<MeDto> {
    return toMeDto(await this.sessions.describeSession(principal), principal.expiresAt);
  }
}
