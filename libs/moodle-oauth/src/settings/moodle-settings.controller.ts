import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { Authenticated, CurrentPrincipal, type AuthPolicy, type Principal } from '@ferry/identity';
import { SaveMoodleSettingsDto } from './moodle-settings.dto';
import { MoodleSettingsService, type MoodleSettingsView } from './moodle-settings.service';

const OWN_PLATFORM_ADMIN: AuthPolicy = { roles: ['admin'] };
const OPERATOR_OR_OWN_ADMIN: AuthPolicy = { operator: true, roles: ['admin'], platformParam: 'platformId' };

function platformOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new Error('The operator names the platform in the path.');
  return principal.platformId;
}

/**
 * A platform's Moodle settings: `/api/platform/...` for an admin of the platform they launched from,
 * `/api/platforms/:platformId/...` for the operator (or that platform's admin). The client secret is
 * write-only. Bearer tokens, never cookies, authenticate these calls, so there is nothing to forge.
 */
@Controller('api')
export class MoodleSettingsController {
  constructor(private readonly settings: MoodleSettingsService) {}

  @Get('platform/moodle-settings')
  @Authenticated(OWN_PLATFORM_ADMIN)
  getOwn(@CurrentPrincipal() principal: Principal): Promise<MoodleSettingsView> {
    return this.settings.view(platformOf(principal));
  }

  @Put('platform/moodle-settings')
  @Authenticated(OWN_PLATFORM_ADMIN)
  saveOwn(@CurrentPrincipal() principal: Principal, @Body() body: SaveMoodleSettingsDto): Promise<MoodleSettingsView> {
    return this.settings.save(platformOf(principal), body);
  }

  @Delete('platform/moodle-settings')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated(OWN_PLATFORM_ADMIN)
  resetOwn(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.settings.reset(platformOf(principal));
  }

  @Get('platforms/:platformId/moodle-settings')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  get(@Param('platformId') platformId: string): Promise<MoodleSettingsView> {
    return this.settings.view(platformId);
  }

  @Put('platforms/:platformId/moodle-settings')
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  save(@Param('platformId') platformId: string, @Body() body: SaveMoodleSettingsDto): Promise<MoodleSettingsView> {
    return this.settings.save(platformId, body);
  }

  @Delete('platforms/:platformId/moodle-settings')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated(OPERATOR_OR_OWN_ADMIN)
  reset(@Param('platformId') platformId: string): Promise<void> {
    return this.settings.reset(platformId);
  }
}
