import { Module } from '@nestjs/common';
import { IdentityModule } from '@ferry/identity';
import { MoodleConnectionController } from './connections/moodle-connection.controller';
import { MoodleOauthModule } from './moodle-oauth.module';
import { MoodleOauthFlowService } from './oauth/moodle-oauth-flow.service';
import { MoodleOauthController } from './oauth/moodle-oauth.controller';
import { MoodleSettingsController } from './settings/moodle-settings.controller';

/** The Moodle connection API (CONTRACT.md); only apps/api imports it. */
@Module({
  imports: [MoodleOauthModule, IdentityModule],
  providers: [MoodleOauthFlowService],
  controllers: [MoodleSettingsController, MoodleConnectionController, MoodleOauthController],
})
export class MoodleOauthHttpModule {}
