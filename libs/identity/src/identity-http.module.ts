import { Module } from '@nestjs/common';
import { IdentityModule } from './identity.module';
import { SessionController } from './session/session.controller';
import { SessionService } from './session/session.service';

@Module({
  imports: [IdentityModule],
  controllers: [SessionController],
  providers: [SessionService],
})
export class IdentityHttpModule {}
