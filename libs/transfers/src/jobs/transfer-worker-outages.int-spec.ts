import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../azure-storage/src/azurite';
import type { MoodleFileStream, OpenFileStreamOptions } from '@ferry/moodle-ws';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { testConfig } from '@ferry/testing';
import { COURSE_FILE_CATALOG } from '../course-file-catalog';
import { EmulatorCourseCatalog, EmulatorMoodleSessions } from '../testing/emulator-moodle';
import { insertPlatformAndUser } from '../testing/transfer-fixtures';
import { freePort, startTransfersTestApp, type TransfersTestApp } from '../testing/transfers-test-app';
import { startTransfersWorkerApp, type TransfersWorkerApp } from '../testing/transfers-worker-app';
import type { TransferMoodleSession } from './moodle-session-source';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MiB = 1024 * 1024;
const BIG_COURSE = { id: 3, shortname: 'BIG', fullname: 'Big files' };
const MID_COURSE = { id: 4, shortname: 'MID', fullname: 'Forty MiB' };

/**
 * The emulator's sessions, with a hook on each download the worker opens: a test makes Moodle
 * forget the token just before the worker asks for the rest of a file.
 */
class HookedSessions extends EmulatorMoodleSessions {
  beforeDownload: ((download: number) => void) | null = null;
  private downloads = 0;

  protected override session(token: string): TransferMoodleSession {
    const session = super.session(token);
    const openFileStream = session.client.openFileStream.bind(session.client);
    session.client.openFileStream = (fileurl: string, options?: OpenFileStreamOptions): Promise<MoodleFileStream> => {
      this.downloads += 1;
      this.beforeDownload?.(this.downloads);
      return openFileStream(fileurl, options);
    };
    return session;
  }
}

/** Resolves with the first connection attempt on `port`, which it refuses by closing at once. */
function refuseConnectionsOn(port: number): { attempted: Promise<void>; close(): Promise<void> } {
  let attempt: () => void = () => undefined;
  const attempted = new Promise<void>((resolve) => (attempt = resolve));
  const server: Server = createServer((socket) => {
    socket.destroy();
    attempt();
  });
  server.listen(port, '127.0.0.1');
  return { attempted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('transfer worker through outages', () => {
  let emulator: RunningPlatformEmulator;
  let sessions: HookedSessions;
  let ferry: TransfersTestApp;
  let worker: TransfersWorkerApp;
  let token: string;
  let azurite: RunningAzurite;
  let azuritePort: number;
  let azuriteData: string;

  const api = async (path: string, init: RequestInit = {}): Promise<Json> => {
    const response = await fetch(`${ferry.url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  const onlyFileOf = async (courseId: number) => (await new EmulatorCourseCatalog(sessions).listFiles({ platformId: 'p', userId: 'u' }, courseId)).files.filter((file) => file.transferable)[0];

  /** The item row until `done` says so (the worker writes rows; this process sees no event of its). */
  async function itemUntil(itemId: string, done: (row: Json) => boolean, timeoutMs = 60_000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await ferry.dataSource.query('SELECT status, bytes_done::bigint AS bytes_done, attempts FROM transfer_items WHERE id = $1', [itemId]);
      if (done(row)) return row;
      if (Date.now() > deadline) throw new Error(`item ${itemId} is still ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const finalDetail = async (transferId: string, itemId: string) => {
    await itemUntil(itemId, (row) => ['succeeded', 'failed', 'cancelled', 'skipped'].includes(row.status), 120_000);
    return api(`/api/transfers/${transferId}`);
  };
  const eventTypes = async (itemId: string): Promise<string[]> =>
    (await ferry.dataSource.query('SELECT type FROM transfer_events WHERE item_id = $1 ORDER BY id', [itemId])).map((row: { type: string }) => row.type);

  beforeAll(async () => {
    azuritePort = await freePort();
    azuriteData = mkdtempSync(join(tmpdir(), 'ferry-azurite-'));
    azurite = await startAzurite({ port: azuritePort, location: azuriteData });
    emulator = await startPlatformEmulator({
      port: 0,
      tool: { loginUrl: 'http://127.0.0.1:1/lti/login', launchUrl: 'http://127.0.0.1:1/lti/launch', jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json' },
      moodle: {
        extraCourses: [
          { ...BIG_COURSE, content: { sections: 1, filesPerSection: 1, fileSize: 192 * MiB, seed: 7 } },
          { ...MID_COURSE, content: { sections: 1, filesPerSection: 1, fileSize: 40 * MiB, seed: 8 } },
        ],
      },
    });
    sessions = new HookedSessions(emulator);
    const storage = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
    ferry = await startTransfersTestApp({ provide: COURSE_FILE_CATALOG, useValue: new EmulatorCourseCatalog(sessions) }, storage);
    await ferry.queue.obliterate({ force: true });
    worker = await startTransfersWorkerApp(testConfig({ ...storage, TRANSFER_RETRY_BASE_MS: '50', TRANSFER_ATTEMPTS: '6' }), sessions);
    token = await ferry.sessionFor(await insertPlatformAndUser(ferry.dataSource));
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await ferry?.close();
    await emulator?.stop();
    await azurite?.stop();
    if (azuriteData) rmSync(azuriteData, { recursive: true, force: true });
  });

  // The Azure SDK's own retries back off by seconds while the storage is away: more than the default 30 s may pass.
  it('finishes a file when Azure Storage goes away mid-file and comes back', { timeout: 120_000 }, async () => {
    const file = await onlyFileOf(BIG_COURSE.id);
    const created = await api('/api/transfers', { method: 'POST', body: JSON.stringify({ courseId: BIG_COURSE.id, fileIds: [file.id], container: 'outage' }) });
    const itemId = created.items[0].id;
    await itemUntil(itemId, (row) => Number(row.bytes_done) >= 16 * MiB);

    await azurite.stop();
    const outage = refuseConnectionsOn(azuritePort);
    await outage.attempted;
    expect((await itemUntil(itemId, () => true)).status).toBe('running');
    await outage.close();
    azurite = await startAzurite({ port: azuritePort, location: azuriteData });

    const detail = await finalDetail(created.id, itemId);
    const [source] = emulator.moodle.files(BIG_COURSE.id);
    expect(detail.items[0]).toMatchObject({ status: 'succeeded', size: 192 * MiB, sha256: await source.sha256() });
    const properties = await BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient('outage')
      .getBlockBlobClient(detail.items[0].blobName)
      .getProperties();
    expect(properties.contentLength).toBe(192 * MiB);
    expect(properties.metadata?.sha256).toBe(detail.items[0].sha256);
  });

  it('refreshes a token Moodle dropped mid-file once, and goes on from where the download broke', async () => {
    const file = await onlyFileOf(MID_COURSE.id);
    emulator.moodle.fault({ kind: 'truncate_download', afterBytes: 20 * MiB, times: 1 });
    // The first download breaks at 20 MiB; Moodle has forgotten the token by the time the worker asks for the rest.
    sessions.beforeDownload = (download) => {
      if (download === 2) emulator.moodle.revokeTokens('admin');
    };
    const refreshesBefore = sessions.refreshes;
    try {
      const created = await api('/api/transfers', { method: 'POST', body: JSON.stringify({ courseId: MID_COURSE.id, fileIds: [file.id], container: 'token' }) });
      const detail = await finalDetail(created.id, created.items[0].id);
      const [source] = emulator.moodle.files(MID_COURSE.id);
      expect(detail.items[0]).toMatchObject({ status: 'succeeded', sha256: await source.sha256() });
      expect(sessions.refreshes - refreshesBefore).toBe(1);
      const types = await eventTypes(created.items[0].id);
      expect(types.filter((type) => type === 'token_refreshed')).toHaveLength(1);
      expect(types).toContain('resumed');
    } finally {
      sessions.beforeDownload = null;
      emulator.moodle.fault(null);
    }
  });
});
