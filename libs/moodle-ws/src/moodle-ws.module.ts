import { Module, type DynamicModule } from '@nestjs/common';
import { MoodleWsClientFactory } from './moodle-ws-client.factory';
import { MOODLE_WS_OPTIONS, type MoodleWsOptions } from './moodle-ws.options';

@Module({ providers: [MoodleWsClientFactory], exports: [MoodleWsClientFactory] })
export class MoodleWsModule {
  /** The same module with other timeouts or retry pacing (tests, benchmarks). */
  static withOptions(options: Partial<MoodleWsOptions>): DynamicModule {
    return {
      module: MoodleWsModule,
      providers: [{ provide: MOODLE_WS_OPTIONS, useValue: options }, MoodleWsClientFactory],
      exports: [MoodleWsClientFactory],
    };
  }
}
