import { Inject, Injectable, Optional } from '@nestjs/common';
import { MoodleWsClient, type MoodleConnection } from './moodle-ws.client';
import { defaultMoodleWsOptions, MOODLE_WS_OPTIONS, type MoodleWsOptions } from './moodle-ws.options';

/**
 * Makes a `MoodleWsClient` for one admin's connection. There is no global token: the api builds one
 * per request from the caller's stored token, the worker one per transfer item.
 */
@Injectable()
export class MoodleWsClientFactory {
  private readonly options: MoodleWsOptions;

  constructor(@Optional() @Inject(MOODLE_WS_OPTIONS) options?: Partial<MoodleWsOptions>) {
    this.options = { ...defaultMoodleWsOptions, ...options };
  }

  forConnection(connection: MoodleConnection): MoodleWsClient {
    return new MoodleWsClient(connection, this.options);
  }
}
