import { Module } from '@nestjs/common';
import { IdentityModule } from '@ferry/identity';
import { PlatformsController } from './platforms.controller';
import { PlatformsModule } from './platforms.module';

@Module({
  imports: [PlatformsModule, IdentityModule],
  controllers: [PlatformsController],
})
export class PlatformsHttpModule {}
