import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { DatabaseModule } from '@ferry/database';
import { HealthModule } from '@ferry/health';
import { RedisModule } from '@ferry/redis';

/** The worker composes domain modules only: no controllers, no HTTP API. */
@Module({})
export class WorkerModule {
  static forRoot(config: FerryConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), RedisModule, CryptoModule, HealthModule],
    };
  }
}
