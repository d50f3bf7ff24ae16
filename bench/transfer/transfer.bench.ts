/**
 * bench/transfer: Moodle (the platform emulator) → Azure (Azurite on disk) through Ferry's transfer
 * worker as production runs it: the webpack bundle (`nest build worker`, rebuilt when stale) started
 * as `node dist/apps/worker/main.js`, configured by its environment, reading the admin's Moodle
 * token from PostgreSQL (sealed under ENCRYPTION_KEYS) like any connected admin's.
 * - one 1 GiB file: throughput and the worker's peak RSS; the same for 100 MiB (RSS must not grow
 *   with file size: DESIGN.md wants < 200 MiB and < 32 MiB apart);
 * - the hand-written baseline on the same 1 GiB file: an HTTP GET piped into
 *   BlockBlobClient.uploadStream (8 MiB buffers, 4 at once) → Ferry's throughput as a ratio (≥ 0.9);
 * - 2,000 files of 64 KiB with default settings: files/s end to end (≥ 100).
 * Besides wall-clock figures, the worker's own CPU time (utime + stime from /proc) per GiB and per
 * 1,000 small files, which does not depend on how busy the shared machine is, and how busy the
 * whole machine was meanwhile (near 100 %: the machine, not the worker, set the pace).
 * BENCH_WORKER_NODE_ARGS adds node flags to the worker (`--cpu-prof --cpu-prof-dir=…`, `--trace-gc`);
 * BENCH_WORKER_STDOUT=1 lets its stdout through; BENCH_TRANSFER_PARTS=large or small runs one part;
 * BENCH_WORKER_BUNDLE=<path from the repository root> measures another build of the worker as it is.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
import { loadConfig } from '@ferry/config';
import { SecretBox } from '@ferry/crypto';
import { ferryDataSourceOptions, runMigrationsUnderLock } from '@ferry/database';
import { MoodleToken, PlatformMoodleSettings } from '@ferry/moodle-oauth';
import { MoodleWsClientFactory } from '@ferry/moodle-ws';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { TRANSFER_ITEM_JOB, TRANSFERS_QUEUE } from '@ferry/transfers';
import { courseFileId } from '@ferry/course-files';
import { insertPlatformAndUser, insertTransfer } from '../../libs/transfers/src/testing/transfer-fixtures';
import { ensureWorkerBuild, machineCpuSeconds, startProductionWorker } from './production-worker';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
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

/**
 * What an admin's "paste a web service token" connection leaves in the database: the platform's
 * Moodle settings (method wstoken) and the admin's token, sealed by the SecretBox the worker builds
 * from the same ENCRYPTION_KEYS, with the site info Moodle reports for it.
 */
async function connectAdmin(
  dataSource: DataSource,
  owner: { platformId: string; userId: string },
  moodle: { url: string; token: string },
  secrets: SecretBox,
): Promise<void> {
  const siteInfo = await new MoodleWsClientFactory().forConnection({ moodleUrl: moodle.url, token: moodle.token }).getSiteInfo();
  await dataSource.getRepository(PlatformMoodleSettings).insert({ platformId: owner.platformId, moodleUrl: moodle.url, method: 'wstoken' });
  await dataSource.getRepository(MoodleToken).insert({
    platformId: owner.platformId,
    userId: owner.userId,
    method: 'wstoken',
    accessToken: secrets.seal(moodle.token),
    refreshToken: null,
    expiresAt: null,
    scope: null,
    moodleUserId: siteInfo.userid,
    moodleUsername: siteInfo.username,
    moodleFullname: siteInfo.fullname,
    siteInfo: {
      sitename: siteInfo.sitename,
      siteurl: siteInfo.siteurl,
      release: siteInfo.release ?? null,
      version: siteInfo.version ?? null,
      functions: siteInfo.functions.map((fn) => fn.name),
    },
  });
}

interface RunFigures {
  ms: number;
  bytes: number;
  files: number;
  peakRss: number;
  /** The worker's user + system CPU time while it moved the batch. */
  cpuSeconds: number;
  /** The same, of its busiest thread: with a core for each thread, that thread sets the pace. */
  busiestThreadCpuSeconds: number;
  machine: MachineUse;
}

interface MachineUse {
  /** CPU seconds the whole machine spent meanwhile, summed over its cores. */
  busySeconds: number;
  /** Its busy share, 0..1. */
  busyShare: number;
}

/** What the whole machine spent on `work` (everything running on it, not only the bench's processes). */
async function measureMachine<T>(work: () => Promise<T>): Promise<{ result: T; machine: MachineUse }> {
  const before = machineCpuSeconds();
  const result = await work();
  const after = machineCpuSeconds();
  return { result, machine: { busySeconds: after.busy - before.busy, busyShare: (after.busy - before.busy) / (after.total - before.total) } };
}

const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const fmt = (value: number, digits = 1) => value.toFixed(digits);
const percent = (share: number) => `${Math.round(share * 100)} %`;
/** Above this share of the machine's CPU time in use, wall-clock figures say more about the machine than about Ferry. */
const CPU_BOUND = 0.9;
const cpus = availableParallelism();

export async function runTransferBench(): Promise<void> {
  ensureWorkerBuild();
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
    const workerEnv: Record<string, string> = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      ALLOW_INSECURE_PLATFORM_URLS: 'true',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      AZURE_STORAGE_CONNECTION_STRING: connectionString,
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      OPERATOR_TOKEN: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    };
    await connectAdmin(dataSource, owner, { url: moodle.url, token }, new SecretBox(loadConfig(workerEnv)));
    const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

    /** One batch of a course's files through a fresh worker process; resolves when every item is final. */
    async function transferCourse(courseId: number, container: string): Promise<RunFigures> {
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
      const worker = await startProductionWorker(workerEnv, nodeArgs);
      try {
        const cpuBefore = worker.cpuSeconds();
        const threadsBefore = worker.threadCpuSeconds();
        const started = performance.now();
        const { machine } = await measureMachine(async () => {
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
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        });
        const ms = performance.now() - started;
        const threadSeconds = [...worker.threadCpuSeconds()].map(([tid, seconds]) => seconds - (threadsBefore.get(tid) ?? 0));
        return {
          ms,
          bytes: files.reduce((sum, file) => sum + file.filesize, 0),
          files: files.length,
          peakRss: worker.peakRssBytes(),
          cpuSeconds: worker.cpuSeconds() - cpuBefore,
          busiestThreadCpuSeconds: Math.max(0, ...threadSeconds),
          machine,
        };
      } finally {
        await worker.stop();
      }
    }

    /** What a user would write by hand: GET the file, pipe it into uploadStream. No hashing, no progress, no resume. */
    async function baseline(courseId: number, container: string): Promise<{ ms: number; bytes: number; machine: MachineUse }> {
      const [file] = moodle.moodle.files(courseId);
      await blobs.getContainerClient(container).createIfNotExists();
      const started = performance.now();
      const { machine } = await measureMachine(async () => {
        const url = new URL(file.fileurl);
        url.searchParams.set('token', token);
        const response = await fetch(url);
        const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
        await blobs.getContainerClient(container).getBlockBlobClient('baseline.bin').uploadStream(body, 8 * MiB, 4);
      });
      return { ms: performance.now() - started, bytes: file.filesize, machine };
    }

    const lines = ['', `transfer (emulator → Azurite through the production worker, ${process.env.BENCH_WORKER_BUNDLE ?? 'dist/apps/worker/main.js'})`];
    if (PARTS.includes('large')) {
      const hundred = await transferCourse(COURSES.hundred.id, 'bench-hundred');
      const gib = await transferCourse(COURSES.gib.id, 'bench-gib');
      const hand = await baseline(COURSES.gib.id, 'bench-baseline');
      const ferryGib = mibps(gib.bytes, gib.ms);
      const handGib = mibps(hand.bytes, hand.ms);
      lines.push(
        `  1 GiB file         ${fmt(ferryGib)} MiB/s in ${fmt(gib.ms / 1000, 2)} s; worker peak RSS ${fmt(gib.peakRss / MiB)} MiB (target < 200)`,
        `                     worker CPU ${fmt(gib.cpuSeconds / (gib.bytes / GiB), 2)} s per GiB, its busiest thread ${fmt(gib.busiestThreadCpuSeconds / (gib.bytes / GiB), 2)} s ` +
          `(≈ ${fmt(gib.bytes / MiB / gib.busiestThreadCpuSeconds, 0)} MiB/s with a core per thread); machine busy ${percent(gib.machine.busyShare)}`,
        `  100 MiB file       ${fmt(mibps(hundred.bytes, hundred.ms))} MiB/s; worker peak RSS ${fmt(hundred.peakRss / MiB)} MiB; 1 GiB − 100 MiB: ${fmt((gib.peakRss - hundred.peakRss) / MiB)} MiB (target < 32)`,
        `  hand-written GET → uploadStream on the same 1 GiB: ${fmt(handGib)} MiB/s (machine busy ${percent(hand.machine.busyShare)}); Ferry / baseline = ${fmt(ferryGib / handGib, 2)} (target ≥ 0.9)`,
      );
      lines.push(
        `  whole machine: ${fmt(gib.machine.busySeconds / (gib.bytes / GiB), 2)} CPU s per GiB through Ferry, ${fmt(hand.machine.busySeconds / (hand.bytes / GiB), 2)} through the baseline:`,
        `  Ferry hashes every byte three times (SHA-256, MD5, each block's MD5) and Azurite checks each block's MD5; the baseline hashes nothing`,
      );
      if (gib.machine.busyShare >= CPU_BOUND) {
        lines.push(
          `  the machine was the limit: ${percent(gib.machine.busyShare)} of its ${cpus} cores busy while Ferry moved the 1 GiB (the worker, the emulator, Azurite,`,
          `  PostgreSQL and whatever else runs here share them): MiB/s and the ratio above measure this machine more than the worker`,
        );
      }
    }
    if (PARTS.includes('small')) {
      const small = await transferCourse(COURSES.small.id, 'bench-small');
      lines.push(
        `  ${small.files} files of 64 KiB: ${fmt(small.files / (small.ms / 1000))} files/s in ${fmt(small.ms / 1000, 2)} s (target ≥ 100); worker peak RSS ${fmt(small.peakRss / MiB)} MiB`,
        `                     worker CPU ${fmt(small.cpuSeconds / (small.files / 1000), 2)} s per 1000 files; machine busy ${percent(small.machine.busyShare)}`,
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
