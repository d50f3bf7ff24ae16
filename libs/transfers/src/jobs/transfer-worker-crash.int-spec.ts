import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BlobStorage, blockIdFor } from '@ferry/azure-storage';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { testConfig, testDatabaseUrl, testRedisUrl, testStorageConnectionString } from '@ferry/testing';
import { COURSE_FILE_CATALOG } from '../course-file-catalog';
import { EmulatorCourseCatalog, EmulatorMoodleSessions } from '../testing/emulator-moodle';
import { insertPlatformAndUser } from '../testing/transfer-fixtures';
import { startTransfersTestApp, type TransfersTestApp } from '../testing/transfers-test-app';
import { startTransfersWorkerApp, type TransfersWorkerApp } from '../testing/transfers-worker-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MiB = 1024 * 1024;
const BLOCK = 8 * MiB;
const FILE_SIZE = 256 * MiB;
const COURSE = { id: 5, shortname: 'VIDEO', fullname: 'One big video' };
const root = join(__dirname, '..', '..', '..', '..');

function startWorkerProcess(moodleUrl: string, token: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'libs/transfers/src/testing/worker-process.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
      ENCRYPTION_KEYS: `child:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'error',
      WORKER_CONCURRENCY: '1',
      // The dead worker's lock lapses after 3 s; the survivor looks for such jobs every second.
      TRANSFER_LOCK_DURATION_MS: '3000',
      TRANSFER_STALLED_INTERVAL_MS: '1000',
      FERRY_TEST_MOODLE_URL: moodleUrl,
      FERRY_TEST_MOODLE_TOKEN: token,
    },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the worker process exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

describe('a transfer worker killed mid-file', () => {
  let emulator: RunningPlatformEmulator;
  let ferry: TransfersTestApp;
  let survivor: TransfersWorkerApp | undefined;
  let child: ChildProcess | undefined;
  let token: string;
  const blobs = BlobServiceClient.fromConnectionString(testStorageConnectionString());

  const api = async (path: string, init: RequestInit = {}): Promise<Json> => {
    const response = await fetch(`${ferry.url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    return response.json();
  };
  const itemRow = async (itemId: string) => (await ferry.dataSource.query('SELECT * FROM transfer_items WHERE id = $1', [itemId]))[0];
  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    emulator = await startPlatformEmulator({
      port: 0,
      tool: { loginUrl: 'http://localhost:1/lti/login', launchUrl: 'http://localhost:1/lti/launch', jwksUrl: 'http://localhost:1/jwks' },
      moodle: { extraCourses: [{ ...COURSE, content: { sections: 1, filesPerSection: 1, fileSize: FILE_SIZE, seed: 9 } }] },
    });
    const sessions = new EmulatorMoodleSessions(emulator);
    ferry = await startTransfersTestApp({ provide: COURSE_FILE_CATALOG, useValue: new EmulatorCourseCatalog(sessions) });
    await ferry.queue.obliterate({ force: true });
    const owner = await insertPlatformAndUser(ferry.dataSource);
    token = await ferry.sessionFor(owner);
  }, 120_000);

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.close();
    survivor = undefined;
  });
  afterAll(async () => {
    await ferry?.close();
    await emulator?.stop();
  });

  it('is resumed by another worker from the blocks it staged, which are not staged again, and the blob is the whole file', async () => {
    const container = `crash-${randomBytes(4).toString('hex')}`;
    child = await startWorkerProcess(emulator.url, emulator.moodle.createToken('admin'));
    const listing = (await new EmulatorCourseCatalog(new EmulatorMoodleSessions(emulator)).listFiles({ platformId: 'p', userId: 'u' }, COURSE.id)).files;
    const created = await api('/api/transfers', { method: 'POST', body: JSON.stringify({ courseId: COURSE.id, fileIds: [listing[0].id], container }) });
    const itemId: string = created.items[0].id;

    await until('half the file', async () => Number((await itemRow(itemId)).bytes_done) >= FILE_SIZE / 2);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // What the dead worker left: staged blocks, and a checkpoint covering a prefix of them.
    const checkpoint = (await itemRow(itemId)).checkpoint;
    const blobClient = blobs.getContainerClient(container).getBlockBlobClient(created.items[0].blobName);
    const staged = new Set(((await blobClient.getBlockList('uncommitted')).uncommittedBlocks ?? []).map((block) => block.name));
    const reusable = checkpoint.blockIndex as number;
    expect(reusable).toBeGreaterThanOrEqual(12);
    for (let index = 0; index < reusable; index++) expect(staged.has(blockIdFor(itemId, index))).toBe(true);
    await expect(blobClient.exists()).resolves.toBe(false);
    const downloadsBefore = emulator.moodle.requests.length;

    survivor = await startTransfersWorkerApp(testConfig({ TRANSFER_STALLED_INTERVAL_MS: '1000', WORKER_CONCURRENCY: '1' }), new EmulatorMoodleSessions(emulator));
    const detail = await until('the batch to finish', async () => {
      const current = await api(`/api/transfers/${created.id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(current.status) && current;
    });
    expect(detail.items[0]).toMatchObject({ status: 'succeeded', size: FILE_SIZE });

    const events = await ferry.dataSource.query('SELECT type, data FROM transfer_events WHERE item_id = $1 ORDER BY id', [itemId]);
    const outcome = events.at(-1);
    expect(outcome.type).toBe('succeeded');
    expect(outcome.data).toMatchObject({ blocksReused: reusable, blocksStaged: FILE_SIZE / BLOCK - reusable, resumedFromByte: reusable * BLOCK });
    const resumedDownloads = emulator.moodle.requests.slice(downloadsBefore).filter((entry) => entry.path.includes('pluginfile.php'));
    expect(resumedDownloads.map((entry) => entry.range)).toEqual([`bytes=${reusable * BLOCK}-`]);

    const [source] = emulator.moodle.files(COURSE.id);
    const stored = await ferry.app.get(BlobStorage).verifyBlob(container, created.items[0].blobName);
    expect(stored.sha256).toBe(await source.sha256());
    expect(detail.items[0].sha256).toBe(stored.sha256);
  }, 120_000);

  it('on SIGTERM stops taking jobs, sends the running file back to the queue at its checkpoint, and exits', async () => {
    const container = `term-${randomBytes(4).toString('hex')}`;
    child = await startWorkerProcess(emulator.url, emulator.moodle.createToken('admin'));
    const listing = (await new EmulatorCourseCatalog(new EmulatorMoodleSessions(emulator)).listFiles({ platformId: 'p', userId: 'u' }, COURSE.id)).files;
    const created = await api('/api/transfers', { method: 'POST', body: JSON.stringify({ courseId: COURSE.id, fileIds: [listing[0].id], container }) });
    const itemId: string = created.items[0].id;
    await until('a third of the file', async () => Number((await itemRow(itemId)).bytes_done) >= FILE_SIZE / 3);

    const signalledAt = Date.now();
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    const row = await itemRow(itemId);
    expect(row.status).toBe('queued');
    expect(row.checkpoint.blockIndex).toBeGreaterThan(0);
    const types = (await ferry.dataSource.query('SELECT type FROM transfer_events WHERE item_id = $1 ORDER BY id', [itemId])).map((event: Json) => event.type);
    expect(types).toEqual(['attempt_started', 'paused_for_shutdown']);

    survivor = await startTransfersWorkerApp(testConfig({ WORKER_CONCURRENCY: '1' }), new EmulatorMoodleSessions(emulator));
    const detail = await until('the batch to finish', async () => {
      const current = await api(`/api/transfers/${created.id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(current.status) && current;
    });
    expect(detail.items[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    // Two starts, but going back to the queue spent none of BullMQ's attempts.
    const starts = await ferry.dataSource.query(`SELECT data FROM transfer_events WHERE item_id = $1 AND type = 'attempt_started' ORDER BY id`, [itemId]);
    expect(starts.map((event: Json) => event.data.attempt)).toEqual([1, 1]);
    const [source] = emulator.moodle.files(COURSE.id);
    expect(detail.items[0].sha256).toBe(await source.sha256());
  }, 120_000);
});
