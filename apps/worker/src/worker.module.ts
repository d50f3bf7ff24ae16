import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { DatabaseModule } from '@ferry/database';
import { HealthModule } from '@ferry/health';
import { MoodleConnectionsService, MoodleOauthModule } from '@ferry/moodle-oauth';
import { MOODLE_SESSIONS } from '@ferry/moodle-ws';
import { RedisModule } from '@ferry/redis';
import { TransfersWorkerModule } from '@ferry/transfers';

/** The worker composes domain modules only: no controllers, no HTTP API. */
@Module({})
export class WorkerModule {
  static forRoot(config: FerryConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        RedisModule,
        CryptoModule,
        HealthModule,
        // Each transfer streams with the token of the admin who asked for it.
        TransfersWorkerModule.forRoot(config, {
          imports: [MoodleOauthModule],
          sessions: { provide: MOODLE_SESSIONS, useExisting: MoodleConnectionsService },
        }),
      ],
    };
  }
}
