import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@ferry/errors';
import { FakeMoodle } from './fake-moodle';
import { MoodleWsClientFactory } from './moodle-ws-client.factory';
import { MoodleWsModule } from './moodle-ws.module';

describe(MoodleWsModule.name, () => {
  it('provides a client factory with the defaults', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [MoodleWsModule] }).compile();

    const client = moduleRef.get(MoodleWsClientFactory).forConnection({ moodleUrl: 'https://moodle.example.edu', token: 't' });

    expect(client.moodleOrigin).toBe('https://moodle.example.edu');
  });

  it('passes other options to the clients it makes', async () => {
    const moodle = await FakeMoodle.start();
    moodle.handle = () => undefined;
    const moduleRef = await Test.createTestingModule({ imports: [MoodleWsModule.withOptions({ readTimeoutMs: 20 })] }).compile();
    const sut = moduleRef.get(MoodleWsClientFactory).forConnection({ moodleUrl: moodle.url, token: 't' });

    try {
      await expect(sut.getSiteInfo()).rejects.toMatchObject({ code: ErrorCode.MoodleUnreachable, message: expect.stringContaining('20 ms') });
    } finally {
      await moodle.close();
    }
  });
});
