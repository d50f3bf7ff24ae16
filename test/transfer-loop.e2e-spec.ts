import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStorageConnectionString } from '@ferry/testing';
import { launchAdminSession } from './support/admin-session';
import { startFerryStack, type FerryStack } from './support/ferry-stack';

type Json = Record<string, any>;

/**
 * The whole admin loop over HTTP, through the api and the worker exactly as production composes
 * them: a real launch, the admin's own pasted token, the course listing, a batch, live events to
 * the end, the blobs in Azurite with Moodle's bytes, the receipt, and the files now marked.
 */
describe('an admin moves course files into Azure, api and worker together', () => {
  let stack: FerryStack;
  let bearer: string;

  beforeAll(async () => {
    stack = await startFerryStack(
      { AZURE_BLOB_CONTAINER: 'ferry-e2e-loop' },
      { moodle: { course: { sections: 2, filesPerSection: 3, folders: true, unicodeNames: true, fileSize: { min: 1000, max: 200_000 }, seed: 21 } } },
      { worker: true },
    );
    await stack.configureMoodle(stack.platform);
    bearer = await launchAdminSession(stack.publicUrl, stack.platform);
    expect((await call('POST', '/api/moodle-connection/token', { token: stack.platform.moodle.createToken('admin') })).status).toBe(200);
  });
  afterAll(() => stack?.stop());

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string; headers: Headers }> {
    const response = await fetch(`${stack.publicUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Json = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // receipts in CSV
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  /** Reads the batch's server-sent events until `end`: the last snapshot's batch. */
  async function followToTheEnd(transferId: string): Promise<Json> {
    const response = await fetch(`${stack.publicUrl}/api/transfers/${transferId}/events`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (text.includes('event: end')) break;
    }
    const snapshots = text.split('\n\n').filter((block) => block.startsWith('event: snapshot'));
    return JSON.parse(snapshots[snapshots.length - 1].split('data: ')[1]).transfer;
  }

  it('lists, transfers with the source checksums, gives a receipt, and marks the files transferred', async () => {
    const listing = await call('GET', '/api/courses/2/files');
    expect(listing.status).toBe(200);
    const files = listing.body.files.filter((file: Json) => file.transferable);
    expect(files.length).toBeGreaterThanOrEqual(6);

    const created = await call('POST', '/api/transfers', { courseId: 2, fileIds: files.map((file: Json) => file.id), prefix: 'e2e' });
    expect(created.status).toBe(201);
    expect(created.body.items).toHaveLength(files.length);

    const final = await followToTheEnd(created.body.id);
    expect(final.status).toBe('succeeded');
    const detail = (await call('GET', `/api/transfers/${created.body.id}`)).body;
    const sources = new Map(stack.platform.moodle.files(2).map((file) => [`${file.filepath}${file.filename}`, file]));
    const container = BlobServiceClient.fromConnectionString(testStorageConnectionString()).getContainerClient('ferry-e2e-loop');
    for (const item of detail.items) {
      expect(item.status).toBe('succeeded');
      const source = sources.get(`${item.path}${item.name}`)!;
      expect(item.sha256).toBe(await source.sha256());
      const properties = await container.getBlockBlobClient(item.blobName).getProperties();
      expect(properties.contentLength).toBe(source.filesize);
      expect(properties.metadata?.sha256).toBe(item.sha256);
    }

    const csv = await call('GET', `/api/transfers/${created.body.id}/receipt.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(files.length + 1);
    const receipt = await call('GET', `/api/transfers/${created.body.id}/receipt.json`);
    expect(receipt.body.items.map((item: Json) => item.sha256).sort()).toEqual(detail.items.map((item: Json) => item.sha256).sort());

    const relisted = (await call('GET', '/api/courses/2/files')).body.files.filter((file: Json) => file.transferable);
    expect(relisted.every((file: Json) => file.transferred?.transferId === created.body.id)).toBe(true);
    const history = await call('GET', '/api/transfers?courseId=2');
    expect(history.body.map((transfer: Json) => transfer.id)).toContain(created.body.id);
  });

  it('refuses a selection that is not in the course, per field, and queues nothing', async () => {
    const before = (await call('GET', '/api/transfers?courseId=2')).body.length;
    const refused = await call('POST', '/api/transfers', { courseId: 2, fileIds: ['not-a-file-of-this-course'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect((await call('GET', '/api/transfers?courseId=2')).body.length).toBe(before);
  });
});
