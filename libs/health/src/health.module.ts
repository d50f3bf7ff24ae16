import { Module } from '@nestjs/common';
import { AzureStorageModule } from '@ferry/azure-storage';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [AzureStorageModule], providers: [HealthService], exports: [HealthService] })
export class HealthModule {}

@Module({ imports: [HealthModule], controllers: [HealthController] })
export class HealthHttpModule {}
