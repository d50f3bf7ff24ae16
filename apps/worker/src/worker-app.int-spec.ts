import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '@ferry/testing';
import { startWorker, type RunningWorker } from './worker-app';

describe(startWorker.name, () => {
  let worker: RunningWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it('starts without an HTTP API and reports every dependency up', async () => {
    worker = await startWorker(testConfig({ WORKER_HEALTH_PORT: '3191' }));
    const response = await fetch('http://127.0.0.1:3191/healthz');
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({
      ok: true,
      checks: { database: 'up', redis: 'up', storage: 'up' },
    });
    const other = await fetch('http://127.0.0.1:3191/api/platforms');
    expect(other.status).toBe(404);
  });

  it('answers 503 naming the dependency that is down', async () => {
    worker = await startWorker(
      testConfig({
        WORKER_HEALTH_PORT: '3192',
        AZURE_STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      }),
    );
    const response = await fetch('http://127.0.0.1:3192/healthz');
    expect(response.status).toBe(503);
    await expect(response.json()).resolves.toEqual({
      ok: false,
      checks: { database: 'up', redis: 'up', storage: 'down' },
    });
  });
});
