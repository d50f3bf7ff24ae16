import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './auth/auth.guard';
import { SessionTokenService } from './auth/session-token.service';
import { Launch } from './launches/launch.entity';
import { LaunchRecorder } from './launches/launch-recorder.service';
import { User } from './users/user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([User, Launch])],
  providers: [SessionTokenService, AuthGuard, LaunchRecorder],
  exports: [SessionTokenService, AuthGuard, LaunchRecorder],
})
export class IdentityModule {}
