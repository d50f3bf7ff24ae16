/**
 * bench/transfer: Moodle (the platform emulator) → Azure (Azurite on disk) through Ferry's transfer
 * worker running as its own process, as in production.
 * - one 1 GiB file: throughput and the worker's peak RSS; the same for 100 MiB (RSS must not grow
 *   with file size: DESIGN.md wants < 200 MiB and < 32 MiB apart);
 * - the hand-written baseline on the same 1 GiB file: an HTTP GET piped into
 *   BlockBlobClient.uploadStream (8 MiB buffers, 4 at once) → Ferry's throughput as a ratio (≥ 0.9);
 * - 2,000 files of 64 KiB with default settings: files/s end to end (≥ 100).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { BlobServiceClient } from '@azure/storage-blob';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { startAzurite, azuriteConnectionString } from '../../libs/azure-storage/src/azurite';
import { ferryDataSourceOptions, runMigrationsUnderLock } from '@ferry/database';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { TRANSFER_ITEM_JOB, TRANSFERS_QUEUE } from '@ferry/transfers';
import { courseFileId } from '@ferry/course-files';
import { insertPlatformAndUser, insertTransfer } from '../../libs/transfers/src/testing/transfer-fixtures';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const root = join(__dirname, '..', '..');
const AZURITE_PORT = Number(process.env.BENCH_AZURITE_PORT ?? 10_190);
const REDIS_URL = process.env.BENCH_TRANSFER_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const DATABASE = 'ferry_bench_transfer';
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 2000);
/** `large` (1 GiB, 100 MiB, baseline) and/or `small` (many 64 KiB files). */
const PARTS = (process.env.BENCH_TRANSFER_PARTS ?? 'large,small').split(',');

const COURSES = {
  gib: { id: 10, shortname: 'GIB', fullname: 'One GiB', content: { sections: 1, filesPerSection: 1, fileSize: GiB, seed: 1 } },
  hundred: { id: 11, shortname: 'HUNDRED', fullname: '100 MiB', content: { sections: 1, filesPerSection: 1, fileSize: 100 * MiB, seed: 2 } },
  small: {
    id: 12,
    shortname: 'SMALL',
    fullname: 'Many small files',
    content: { sections: Math.ceil(SMALL_FILES / 100), filesPerSection: 100, fileSize: 64 * 1024, seed: 3 },
  },
};

async function recreateDatabase(): Promise<string> {
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
  const dataSource = await new DataSource(ferryDataSourceOptions(url)).initialize();
  await runMigrationsUnderLock(dataSource);
  await dataSource.destroy();
  return url;
}

interface WorkerProcess {
  child: ChildProcess;
  peakRssBytes(): number;
  stop(): Promise<void>;
}

async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', 'libs/transfers/src/testing/worker-process.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
  });
  return {
    child,
    // VmHWM: the kernel's own record of the process's peak resident set.
    peakRssBytes: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const fmt = (value: number, digits = 1) => value.toFixed(digits);

export async function runTransferBench(): Promise<void> {
  const azuriteDir = mkdtempSync(join(tmpdir(), 'ferry-bench-azurite-'));
  const azurite = await startAzurite({ port: AZURITE_PORT, location: azuriteDir });
  const connectionString = azuriteConnectionString(AZURITE_PORT);
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  const databaseUrl = await recreateDatabase();
  const dataSource = await new DataSource(ferryDataSourceOptions(databaseUrl)).initialize();
  const queue = new Queue(TRANSFERS_QUEUE, { connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port), db: Number(new URL(REDIS_URL).pathname.slice(1)) } });
  let emulator: RunningPlatformEmulator | undefined;
  try {
    emulator = await startPlatformEmulator({
      port: 0,
      tool: { loginUrl: 'http://localhost:1/lti/login', launchUrl: 'http://localhost:1/lti/launch', jwksUrl: 'http://localhost:1/jwks' },
      moodle: { extraCourses: Object.values(COURSES) },
    });
    const moodle = emulator;
    const token = moodle.moodle.createToken('admin');
    const owner = await insertPlatformAndUser(dataSource);
    const workerEnv = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      ALLOW_INSECURE_PLATFORM_URLS: 'true',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      AZURE_STORAGE_CONNECTION_STRING: connectionString,
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      OPERATOR_TOKEN: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      WORKER_HEALTH_PORT: '0',
      FERRY_TEST_MOODLE_URL: moodle.url,
      FERRY_TEST_MOODLE_TOKEN: token,
    };

    /** One batch of a course's files through a fresh worker process; resolves when every item is final. */
    async function transferCourse(courseId: number, container: string): Promise<{ ms: number; bytes: number; files: number; peakRss: number }> {
      await blobs.getContainerClient(container).createIfNotExists();
      const files = moodle.moodle.files(courseId);
      const { transfer, items } = await insertTransfer(
        dataSource,
        owner,
        files.map((file) => ({
          fileId: courseFileId({ id: 0 }, { type: 'file', fileurl: file.fileurl, filepath: file.filepath, filename: file.filename }),
          filename: file.filename,
          filepath: file.filepath,
          size: file.filesize,
          mimetype: file.mimetype,
          fileurl: file.fileurl,
          blobName: `bench/${courseId}${file.filepath}${file.filename}`,
        })),
        { container, courseId, conflictPolicy: 'overwrite' },
      );
      const worker = await startWorker(workerEnv);
      try {
        const started = performance.now();
        await queue.addBulk(
          items.map((item) => ({
            name: TRANSFER_ITEM_JOB,
            data: { transferId: transfer.id, itemId: item.id, platformId: owner.platformId, userId: owner.userId },
            opts: { jobId: item.id, attempts: 3, backoff: { type: 'ferry-exponential-jitter' }, removeOnComplete: true, removeOnFail: true },
          })),
        );
        for (;;) {
          const [row] = await dataSource.query('SELECT status FROM transfers WHERE id = $1', [transfer.id]);
          if (['succeeded', 'failed', 'cancelled'].includes(row.status)) {
            if (row.status !== 'succeeded') throw new Error(`the bench transfer ended ${row.status}`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const ms = performance.now() - started;
        return { ms, bytes: files.reduce((sum, file) => sum + file.filesize, 0), files: files.length, peakRss: worker.peakRssBytes() };
      } finally {
        await worker.stop();
      }
    }

    /** What a user would write by hand: GET the file, pipe it into uploadStream. No hashing, no progress, no resume. */
    async function baseline(courseId: number, container: string): Promise<{ ms: number; bytes: number }> {
      const [file] = moodle.moodle.files(courseId);
      await blobs.getContainerClient(container).createIfNotExists();
      const started = performance.now();
      const url = new URL(file.fileurl);
      url.searchParams.set('token', token);
      const response = await fetch(url);
      const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
      await blobs.getContainerClient(container).getBlockBlobClient('baseline.bin').uploadStream(body, 8 * MiB, 4);
      return { ms: performance.now() - started, bytes: file.filesize };
    }

    const lines = ['', 'transfer (emulator → Azurite through the worker process)'];
    if (PARTS.includes('large')) {
      const hundred = await transferCourse(COURSES.hundred.id, 'bench-hundred');
      const gib = await transferCourse(COURSES.gib.id, 'bench-gib');
      const hand = await baseline(COURSES.gib.id, 'bench-baseline');
      const ferryGib = mibps(gib.bytes, gib.ms);
      const handGib = mibps(hand.bytes, hand.ms);
      lines.push(
      `  1 GiB file         ${fmt(ferryGib)} MiB/s in ${fmt(gib.ms / 1000, 2)} s; worker peak RSS ${fmt(gib.peakRss / MiB)} MiB (target < 200)`,
      `  100 MiB file       ${fmt(mibps(hundred.bytes, hundred.ms))} MiB/s; worker peak RSS ${fmt(hundred.peakRss / MiB)} MiB; 1 GiB − 100 MiB: ${fmt((gib.peakRss - hundred.peakRss) / MiB)} MiB (target < 32)`,
      `  hand-written GET → uploadStream on the same 1 GiB: ${fmt(handGib)} MiB/s; Ferry / baseline = ${fmt(ferryGib / handGib, 2)} (target ≥ 0.9)`,
      );
    }
    if (PARTS.includes('small')) {
      const small = await transferCourse(COURSES.small.id, 'bench-small');
      lines.push(
      `  ${small.files} files of 64 KiB: ${fmt(small.files / (small.ms / 1000))} files/s in ${fmt(small.ms / 1000, 2)} s (target ≥ 100); worker peak RSS ${fmt(small.peakRss / MiB)} MiB`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await emulator?.stop();
    await queue.close();
    await redis.quit();
    await dataSource.destroy();
    await azurite.stop();
    rmSync(azuriteDir, { recursive: true, force: true });
  }
}
