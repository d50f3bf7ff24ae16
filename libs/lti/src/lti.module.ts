import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@ferry/identity';
import { PlatformsModule } from '@ferry/platforms';
import { LaunchValidator } from './launch/launch-validator';
import { LtiLaunchService } from './launch/lti-launch.service';
import { PlatformKeysService } from './launch/platform-keys.service';
import { OidcLoginService } from './login/oidc-login.service';
import { LtiStateStore } from './lti-state.store';
import { DynamicRegistrationService } from './registration/dynamic-registration.service';
import { ToolKey } from './tool-keys/tool-key.entity';
import { ToolKeysService } from './tool-keys/tool-keys.service';

@Module({
  imports: [TypeOrmModule.forFeature([ToolKey]), PlatformsModule, IdentityModule],
  providers: [
    ToolKeysService,
    PlatformKeysService,
    LtiStateStore,
    OidcLoginService,
    LaunchValidator,
    LtiLaunchService,
    DynamicRegistrationService,
  ],
  exports: [ToolKeysService, OidcLoginService, LtiLaunchService, DynamicRegistrationService],
})
export class LtiModule {}
