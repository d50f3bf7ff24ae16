import { Module } from '@nestjs/common';
import { LtiController } from './lti.controller';
import { LtiModule } from './lti.module';
import { JwksController } from './tool-keys/jwks.controller';

@Module({
  imports: [LtiModule],
  controllers: [LtiController, JwksController],
})
export class LtiHttpModule {}
