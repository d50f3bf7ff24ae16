import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameFor } from '@ferry/azure-storage';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { testConfig, testStorageConnectionString } from '@ferry/testing';
import { COURSE_FILE_CATALOG } from '../course-file-catalog';
import { EmulatorCourseCatalog, EmulatorMoodleSessions } from '../testing/emulator-moodle';
import { insertPlatformAndUser } from '../testing/transfer-fixtures';
import { startTransfersTestApp, type TransfersTestApp } from '../testing/transfers-test-app';
import { startTransfersWorkerApp, type TransfersWorkerApp } from '../testing/transfers-worker-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const BIG_COURSE = { id: 3, shortname: 'BIG', fullname: 'Big files' };
const MID_COURSE = { id: 4, shortname: 'MID', fullname: 'Forty MiB' };
const MiB = 1024 * 1024;

describe('transfer worker', () => {
  let emulator: RunningPlatformEmulator;
  let sessions: EmulatorMoodleSessions;
  let catalog: EmulatorCourseCatalog;
  let ferry: TransfersTestApp;
  let worker: TransfersWorkerApp;
  let token: string;
  const blobs = BlobServiceClient.fromConnectionString(testStorageConnectionString());

  const api = async (path: string, init: RequestInit = {}): Promise<Json> => {
    const response = await fetch(`${ferry.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  const transferableIds = async (courseId = 2) =>
    (await catalog.listFiles({ platformId: 'p', userId: 'u' }, courseId)).files.filter((file) => file.transferable).map((file) => file.id);
  const request = (body: Record<string, unknown>) => api('/api/transfers', { method: 'POST', body: JSON.stringify(body) });
  const container = () => `t-${randomBytes(6).toString('hex')}`;

  /** Resolves when the batch is final (a DB poll: the outcome is a row, not an event this process sees). */
  async function finished(transferId: string, timeoutMs = 60_000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const detail = await api(`/api/transfers/${transferId}`);
      if (['succeeded', 'failed', 'cancelled'].includes(detail.status)) return detail;
      if (Date.now() > deadline) throw new Error(`transfer ${transferId} still ${detail.status}: ${JSON.stringify(detail.progress)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const eventTypes = async (itemId: string) =>
    (await ferry.dataSource.query('SELECT type FROM transfer_events WHERE item_id = $1 ORDER BY id', [itemId])).map((row: { type: string }) => row.type);

  beforeAll(async () => {
    emulator = await startPlatformEmulator({
      port: 0,
      tool: { loginUrl: 'http://localhost:1/lti/login', launchUrl: 'http://localhost:1/lti/launch', jwksUrl: 'http://localhost:1/jwks' },
      moodle: {
        course: { sections: 2, filesPerSection: 4, folders: true, unicodeNames: true, extras: true, fileSize: { min: 1000, max: 300_000 }, seed: 11 },
        extraCourses: [
          { ...BIG_COURSE, content: { sections: 1, filesPerSection: 1, fileSize: 1024 * MiB, seed: 3 } },
          { ...MID_COURSE, content: { sections: 1, filesPerSection: 1, fileSize: 40 * MiB, seed: 4 } },
        ],
      },
    });
    sessions = new EmulatorMoodleSessions(emulator);
    catalog = new EmulatorCourseCatalog(sessions);
    ferry = await startTransfersTestApp({ provide: COURSE_FILE_CATALOG, useValue: catalog }, { TRANSFER_ATTEMPTS: '4' });
    await ferry.queue.obliterate({ force: true });
    worker = await startTransfersWorkerApp(testConfig({ TRANSFER_RETRY_BASE_MS: '50', WORKER_CONCURRENCY: '4' }), sessions);
    const owner = await insertPlatformAndUser(ferry.dataSource);
    token = await ferry.sessionFor(owner);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await ferry?.close();
    await emulator?.stop();
  });

  it('lands a course with nested folders and unicode names under the right names, with the source checksums', async () => {
    const target = container();
    const listing = await catalog.listFiles({ platformId: 'p', userId: 'u' }, 2);
    const files = listing.files.filter((file) => file.transferable);
    expect(files.some((file) => file.path !== '/')).toBe(true);
    expect(files.some((file) => /[^\x00-\x7f]/.test(file.name))).toBe(true);

    const created = await request({ courseId: 2, fileIds: files.map((file) => file.id), container: target, prefix: 'archive' });
    const detail = await finished(created.id);
    expect(detail.status).toBe('succeeded');

    const sources = new Map(emulator.moodle.files(2).map((file) => [file.fileurl, file]));
    const containerClient = blobs.getContainerClient(target);
    for (const [index, file] of files.entries()) {
      const item = detail.items[index];
      const expectedName = blobNameFor({ prefix: 'archive', courseShortname: 'TRANSFER101', section: file.section, module: file.module.name, folderPath: file.path, filename: file.name });
      expect(item).toMatchObject({ status: 'succeeded', blobName: expectedName, bytesDone: file.size, size: file.size });
      const source = sources.get(file.fileurl)!;
      expect(item.sha256).toBe(await source.sha256());
      const properties = await containerClient.getBlockBlobClient(expectedName).getProperties();
      expect(properties.contentLength).toBe(file.size);
      expect(properties.metadata?.sha256).toBe(item.sha256);
      expect(Buffer.from(properties.contentMD5!).toString('base64')).toBe(item.md5);
      expect(properties.etag).toBe(item.etag);
    }
    // Files of one block go up in one request each; the audit trail still has every attempt and outcome.
    const firstEvents = await ferry.dataSource.query('SELECT type, data FROM transfer_events WHERE item_id = $1 ORDER BY id', [detail.items[0].id]);
    expect(firstEvents.map((event: Json) => event.type)).toEqual(['attempt_started', 'succeeded']);
    expect(firstEvents[1].data).toMatchObject({ uploadedInOneRequest: true, blocksStaged: 0, sha256: detail.items[0].sha256 });
    expect(detail.manifestBlobName).toBe(`archive/TRANSFER101/ferry-manifest-${created.id}.json`);
    const manifest = JSON.parse((await containerClient.getBlockBlobClient(detail.manifestBlobName).downloadToBuffer()).toString());
    expect(manifest.items).toHaveLength(files.length);
    expect(manifest.items.every((item: Json) => item.outcome === 'succeeded' && item.sha256)).toBe(true);

    // skip_identical (the default): the same files again move no byte.
    const downloadsBefore = emulator.moodle.counts.downloads();
    const again = await finished((await request({ courseId: 2, fileIds: files.map((file) => file.id), container: target, prefix: 'archive' })).id);
    expect(again.items.map((item: Json) => item.status)).toEqual(files.map(() => 'skipped'));
    expect(again.items[0].sha256).toBe(detail.items[0].sha256);
    expect(emulator.moodle.counts.downloads()).toBe(downloadsBefore);
  });

  it('resolves conflicts by policy: overwrite replaces, fail refuses, rename finds the next free name', async () => {
    const target = container();
    const [fileId] = await transferableIds();
    const first = await finished((await request({ courseId: 2, fileIds: [fileId], container: target })).id);
    const name = first.items[0].blobName;

    const overwritten = await finished((await request({ courseId: 2, fileIds: [fileId], container: target, conflict: 'overwrite' })).id);
    expect(overwritten.items[0]).toMatchObject({ status: 'succeeded', blobName: name });
    expect(overwritten.items[0].etag).not.toBe(first.items[0].etag);

    const refused = await finished((await request({ courseId: 2, fileIds: [fileId], container: target, conflict: 'fail' })).id);
    expect(refused.status).toBe('failed');
    expect(refused.items[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'blob_exists' } });

    const renamed = await finished((await request({ courseId: 2, fileIds: [fileId], container: target, conflict: 'rename' })).id);
    const dot = name.lastIndexOf('.');
    const expected = dot > name.lastIndexOf('/') ? `${name.slice(0, dot)} (2)${name.slice(dot)}` : `${name} (2)`;
    expect(renamed.items[0]).toMatchObject({ status: 'succeeded', blobName: expected, sha256: first.items[0].sha256 });
    expect(await eventTypes(renamed.items[0].id)).toContain('renamed');
  });

  it('refuses a fileurl on another origin without sending the token there', async () => {
    const [fileId] = await transferableIds();
    catalog.edit = (files) => files.map((file) => (file.id === fileId ? { ...file, fileurl: file.fileurl.replace(/^http:\/\/[^/]+/, 'http://evil.example') } : file));
    try {
      const detail = await finished((await request({ courseId: 2, fileIds: [fileId], container: container() })).id);
      expect(detail.items[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'foreign_file_url' } });
    } finally {
      catalog.edit = null;
    }
  });

  it('fails a file whose bytes differ in number from the listed size, committing nothing', async () => {
    const target = container();
    const files = (await catalog.listFiles({ platformId: 'p', userId: 'u' }, 2)).files.filter((file) => file.transferable && file.size > 2000);
    const file = files[0];
    emulator.moodle.fault({ kind: 'wrong_size', fileurl: file.fileurl, actualSize: file.size - 1000 });
    try {
      const detail = await finished((await request({ courseId: 2, fileIds: [file.id], container: target })).id);
      expect(detail.items[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'size_mismatch' } });
      await expect(blobs.getContainerClient(target).getBlockBlobClient(detail.items[0].blobName).exists()).resolves.toBe(false);
    } finally {
      emulator.moodle.fault(null);
    }
  });

  it('retries Moodle 500/503 bursts with backoff and then succeeds', async () => {
    const [, fileId] = await transferableIds();
    emulator.moodle.fault({ kind: 'http_error', status: 503, times: 2, paths: 'pluginfile' });
    const detail = await finished((await request({ courseId: 2, fileIds: [fileId], container: container() })).id);
    expect(detail.items[0]).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
    const types = await eventTypes(detail.items[0].id);
    expect(types.filter((type: string) => type === 'retry_scheduled')).toHaveLength(2);
    expect(types.at(-1)).toBe('succeeded');

    emulator.moodle.fault({ kind: 'http_error', status: 500, times: 10, paths: 'pluginfile' });
    try {
      const gaveUp = await finished((await request({ courseId: 2, fileIds: [fileId], container: container() })).id);
      expect(gaveUp.items[0]).toMatchObject({ status: 'failed', attempts: 4 });
    } finally {
      emulator.moodle.fault(null);
    }
  });

  it('resumes after the download breaks mid-file, without staging the blocks already staged again', async () => {
    const [fileId] = await transferableIds(MID_COURSE.id);
    emulator.moodle.fault({ kind: 'truncate_download', afterBytes: 20 * MiB, times: 1 });
    try {
      const detail = await finished((await request({ courseId: MID_COURSE.id, fileIds: [fileId], container: container() })).id);
      expect(detail.items[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
      const [source] = emulator.moodle.files(MID_COURSE.id);
      expect(detail.items[0].sha256).toBe(await source.sha256());
      const events = await ferry.dataSource.query('SELECT type, data FROM transfer_events WHERE item_id = $1 ORDER BY id', [detail.items[0].id]);
      expect(events.find((event: Json) => event.type === 'resumed')?.data).toMatchObject({ fromByte: 16 * MiB, rangeHonoured: true });
      // 20 MiB arrived before the break: two 8 MiB blocks were staged and are reused, the other three staged once.
      expect(events.at(-1).data).toMatchObject({ blocksReused: 2, blocksStaged: 3, resumedFromByte: 16 * MiB, uploadedInOneRequest: false });
      expect(emulator.moodle.requests.some((entry) => entry.range === `bytes=${16 * MiB}-`)).toBe(true);
    } finally {
      emulator.moodle.fault(null);
    }
  });

  it('cancels a running 1 GiB file within 2 s and commits nothing', async () => {
    const target = container();
    const [fileId] = await transferableIds(BIG_COURSE.id);
    const created = await request({ courseId: BIG_COURSE.id, fileIds: [fileId], container: target });
    const itemId = created.items[0].id;
    const deadline = Date.now() + 30_000;
    while ((await ferry.dataSource.query('SELECT bytes_done FROM transfer_items WHERE id = $1', [itemId]))[0].bytes_done === '0') {
      if (Date.now() > deadline) throw new Error('the upload never started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(worker.processor.runningItems).toContain(itemId);
    const cancelledAt = Date.now();
    await api(`/api/transfers/${created.id}/cancel`, { method: 'POST' });
    while (worker.processor.runningItems.includes(itemId)) {
      if (Date.now() - cancelledAt > 2000) throw new Error('the item still runs 2 s after the cancel');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    const detail = await api(`/api/transfers/${created.id}`);
    expect(detail).toMatchObject({ status: 'cancelled', items: [{ status: 'cancelled' }] });
    expect(detail.items[0].bytesDone).toBeLessThan(1024 * 1024 * 1024);
    await expect(blobs.getContainerClient(target).getBlockBlobClient(detail.items[0].blobName).exists()).resolves.toBe(false);
  });

  it('runs an item once when its job is enqueued twice', async () => {
    const [, , fileId] = await transferableIds();
    const created = await request({ courseId: 2, fileIds: [fileId], container: container() });
    const itemId = created.items[0].id;
    await ferry.queue.add('transfer-item', created.items[0] && { transferId: created.id, itemId, platformId: 'x', userId: 'y' }, { jobId: itemId });
    const detail = await finished(created.id);
    expect(detail.items[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect((await eventTypes(itemId)).filter((type: string) => type === 'attempt_started')).toHaveLength(1);
  });
});
