import { Module, type DynamicModule } from '@nestjs/common';
import { ContentItemReturnController } from './deep-linking/content-item-return.controller';
import { CertsController } from './keys/certs.controller';
import { LtiAuthService } from './launch/lti-auth.service';
import { LtiLaunchController } from './launch/lti-launch.controller';
import { CourseController } from './pages/course.controller';
import { LoginTokenController } from './moodle/login-token.controller';
import { OauthProviderController } from './moodle/oauth-provider.controller';
import { WebserviceController } from './moodle/webservice.controller';
import { PlatformEmulator } from './platform-emulator';
import { AccessTokens } from './services/access-tokens';
import { LtiServicesController } from './services/lti-services.controller';
import { TokenController } from './services/token.controller';
import { MoodleLoginController } from './sessions/moodle-login.controller';

/** The emulated Moodle's HTTP surface, bound to one PlatformEmulator (see startPlatformEmulator). */
@Module({})
export class PlatformEmulatorModule {
  static forEmulator(emulator: PlatformEmulator): DynamicModule {
    return {
      module: PlatformEmulatorModule,
      controllers: [
        MoodleLoginController,
        CourseController,
        LtiLaunchController,
        CertsController,
        ContentItemReturnController,
        TokenController,
        LtiServicesController,
        WebserviceController,
        LoginTokenController,
        OauthProviderController,
      ],
      providers: [{ provide: PlatformEmulator, useValue: emulator }, LtiAuthService, AccessTokens],
    };
  }
}
