import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Deployment } from './deployment.entity';
import { Platform } from './platform.entity';
import { PlatformsService } from './platforms.service';

@Module({
  imports: [TypeOrmModule.forFeature([Platform, Deployment])],
  providers: [PlatformsService],
  exports: [PlatformsService],
})
export class PlatformsModule {}
