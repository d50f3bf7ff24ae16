import { Global, Module, type DynamicModule } from '@nestjs/common';
import { FerryConfig, loadConfig } from './ferry-config';

@Global()
@Module({})
export class ConfigModule {
  /** Validates the environment now (or takes a ready config, in tests) and provides `FerryConfig` everywhere. */
  static forRoot(config: FerryConfig = loadConfig()): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: FerryConfig, useValue: config }], exports: [FerryConfig] };
  }
}
