import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CourseFilesHttpModule, CourseFilesModule, CourseFilesService } from '@ferry/course-files';
import { CryptoModule } from '@ferry/crypto';
import { DatabaseModule } from '@ferry/database';
import { HealthHttpModule } from '@ferry/health';
import { IdentityHttpModule } from '@ferry/identity';
import { LtiHttpModule } from '@ferry/lti';
import { MoodleOauthHttpModule } from '@ferry/moodle-oauth';
import { PlatformsHttpModule } from '@ferry/platforms';
import { RedisModule } from '@ferry/redis';
import { COURSE_FILE_CATALOG, TransfersHttpModule } from '@ferry/transfers';

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
        CourseFilesHttpModule,
        // A transfer request is checked against the course's files as the requesting admin's Moodle lists them.
        TransfersHttpModule.forRoot({
          imports: [CourseFilesModule],
          catalog: { provide: COURSE_FILE_CATALOG, useExisting: CourseFilesService },
        }),
      ],
    };
  }
}
