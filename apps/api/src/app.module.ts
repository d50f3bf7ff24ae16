import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { DatabaseModule } from '@ferry/database';
import { HealthHttpModule } from '@ferry/health';
import { IdentityHttpModule } from '@ferry/identity';
import { LtiHttpModule } from '@ferry/lti';
import { MoodleOauthHttpModule } from '@ferry/moodle-oauth';
import { PlatformsHttpModule } from '@ferry/platforms';
import { RedisModule } from '@ferry/redis';

@Module({})
export class AppModule {
  static forRoot(config: FerryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        RedisModule,
        CryptoModule,
        HealthHttpModule,
        PlatformsHttpModule,
        IdentityHttpModule,
        LtiHttpModule,
        MoodleOauthHttpModule,
      ],
    };
  }
}
