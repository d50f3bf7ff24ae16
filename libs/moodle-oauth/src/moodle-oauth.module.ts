import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '@ferry/identity';
import { MOODLE_SESSIONS, MoodleWsModule } from '@ferry/moodle-ws';
import { PlatformsModule } from '@ferry/platforms';
import { MoodleConnectionsService } from './connections/moodle-connections.service';
import { MoodleToken } from './connections/moodle-token.entity';
import { MoodleSettingsCheck } from './settings/moodle-settings-check';
import { MoodleSettingsService } from './settings/moodle-settings.service';
import { PlatformMoodleSettings } from './settings/platform-moodle-settings.entity';

/**
 * Per-platform Moodle settings and per-admin Moodle tokens. Both apps import it: the api to connect
 * admins and list their files, the worker for MOODLE_SESSIONS (each transfer uses its requester's token).
 */
@Module({
  imports: [TypeOrmModule.forFeature([PlatformMoodleSettings, MoodleToken, User]), PlatformsModule, MoodleWsModule],
  providers: [MoodleSettingsService, MoodleSettingsCheck, MoodleConnectionsService, { provide: MOODLE_SESSIONS, useExisting: MoodleConnectionsService }],
  exports: [MoodleSettingsService, MoodleConnectionsService, MOODLE_SESSIONS],
})
export class MoodleOauthModule {}
