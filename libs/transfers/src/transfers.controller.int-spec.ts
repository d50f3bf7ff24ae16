import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COURSE_FILE_CATALOG, type CatalogFile, type CatalogListing, type CourseFileCatalog } from './course-file-catalog';
import { insertPlatformAndUser } from './testing/transfer-fixtures';
import { startTransfersTestApp, type TransfersTestApp } from './testing/transfers-test-app';

// Response bodies are whatever the API sent; the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (response: Response): Promise<any> => response.json();

function file(id: string, overrides: Partial<CatalogFile> = {}): CatalogFile {
  return {
    id,
    section: 'Week 1',
    module: { id: 7, name: 'Slides', modname: 'resource' },
    path: '/',
    name: `${id}.pdf`,
    size: 1000,
    mimetype: 'application/pdf',
    transferable: true,
    fileurl: `http://moodle.test/webservice/pluginfile.php/5/mod_resource/content/0/${id}.pdf?forcedownload=1`,
    timemodified: 1_700_000_000,
    ...overrides,
  };
}

/** The course file list as course-files would return it; what the transfers API must check a selection against. */
class ListingStandIn implements CourseFileCatalog {
  listing: CatalogListing = {
    course: { id: 2, shortname: 'TRANSFER101', fullname: 'Transfer 101' },
    files: [
      file('a'),
      file('b', { name: 'Café — résumé (v2).pdf', path: '/sub/dir/', module: { id: 8, name: 'Folder', modname: 'folder' } }),
      file('c', { size: 3000 }),
      file('link', { name: 'https://example.org', transferable: false, reason: 'url', size: 0 }),
    ],
  };
  calls: Array<{ owner: { platformId: string; userId: string }; courseId: number }> = [];

  async listFiles(owner: { platformId: string; userId: string }, courseId: number): Promise<CatalogListing> {
    this.calls.push({ owner, courseId });
    return this.listing;
  }
}

describe('transfers API', () => {
  const catalog = new ListingStandIn();
  let ferry: TransfersTestApp;
  let owner: { platformId: string; userId: string };
  let admin: string;

  const api = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${ferry.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${init.token ?? admin}`, ...(init.headers ?? {}) },
    });
  const create = (body: unknown, token?: string) => api('/api/transfers', { method: 'POST', body: JSON.stringify(body), token });

  beforeAll(async () => {
    ferry = await startTransfersTestApp({ provide: COURSE_FILE_CATALOG, useValue: catalog });
    await ferry.queue.obliterate({ force: true });
  });
  afterAll(() => ferry.close());
  beforeEach(async () => {
    owner = await insertPlatformAndUser(ferry.dataSource);
    admin = await ferry.sessionFor(owner);
    catalog.calls = [];
  });

  it('creates a batch with one item and one job per file, named by course, section, module and folder', async () => {
    const response = await create({ courseId: 2, fileIds: ['a', 'b'], prefix: 'archive/2025' });
    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body).toMatchObject({ status: 'queued', container: 'ferry', conflict: 'skip_identical', totals: { files: 2, bytes: 2000 } });
    expect(body.items.map((item: { fileId: string; blobName: string; status: string }) => [item.fileId, item.blobName, item.status])).toEqual([
      ['a', 'archive/2025/TRANSFER101/Week 1/Slides/a.pdf', 'queued'],
      ['b', 'archive/2025/TRANSFER101/Week 1/Folder/sub/dir/Café — résumé (v2).pdf', 'queued'],
    ]);
    expect(catalog.calls).toEqual([{ owner, courseId: 2 }]);
    for (const item of body.items) {
      const job = await ferry.queue.getJob(item.id);
      expect(job?.data).toEqual({ transferId: body.id, itemId: item.id, platformId: owner.platformId, userId: owner.userId });
    }
  });

  it('enqueues an item once however often it is enqueued', async () => {
    const body = await json(await create({ courseId: 2, fileIds: ['c'] }));
    const itemId = body.items[0].id;
    const countBefore = await ferry.queue.count();
    await ferry.queue.add('transfer-item', { again: true }, { jobId: itemId });
    expect(await ferry.queue.count()).toBe(countBefore);
    expect((await ferry.queue.getJob(itemId))?.data).not.toHaveProperty('again');
  });

  it.each([
    [{ courseId: 2, fileIds: [] }, 'fileIds', 'Select at least one file.'],
    [{ courseId: 2, fileIds: ['a', 'a'] }, 'fileIds', 'These files are selected more than once: a.'],
    [{ courseId: 2, fileIds: ['a', 'gone'] }, 'fileIds', "These files are not in the course's current file list (reload it): gone."],
    [{ courseId: 2, fileIds: ['link'] }, 'fileIds', 'These entries are not files Ferry can copy: https://example.org (url).'],
    [{ courseId: 2, fileIds: ['a'], container: 'Bad_Name' }, 'container', 'A container name may contain only lowercase letters a-z, digits and hyphens.'],
    [{ courseId: 2, fileIds: ['a'], prefix: '/x//y' }, 'prefix', 'A prefix must not start with "/" or contain empty folders ("//").'],
    [{ courseId: 2, fileIds: ['a'], conflict: 'merge' }, 'conflict', 'conflict must be one of skip_identical, overwrite, rename, fail.'],
    [{ courseId: 'two', fileIds: ['a'] }, 'courseId', 'courseId must be a Moodle course id (a whole number).'],
  ])('refuses %j with 400 validation_failed naming the field', async (request, field, message) => {
    const response = await create(request);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.code).toBe('validation_failed');
    expect(error.details.fields[field]).toContain(message);
    await expect(ferry.dataSource.query('SELECT count(*)::int AS n FROM transfers WHERE platform_id = $1', [owner.platformId])).resolves.toEqual([{ n: 0 }]);
  });

  it('gives two files that sanitise to one name distinct blob names', async () => {
    catalog.listing.files.push(file('dot', { name: 'notes.' }), file('plain', { name: 'notes' }));
    const body = await json(await create({ courseId: 2, fileIds: ['dot', 'plain'] }));
    expect(body.items.map((item: { blobName: string }) => item.blobName)).toEqual([
      'TRANSFER101/Week 1/Slides/notes',
      'TRANSFER101/Week 1/Slides/notes (2)',
    ]);
  });

  it('is for admins only, and another platform admin sees no such transfer', async () => {
    const body = await json(await create({ courseId: 2, fileIds: ['a'] }));
    const instructor = await ferry.sessionFor(owner, ['instructor']);
    expect((await create({ courseId: 2, fileIds: ['a'] }, instructor)).status).toBe(403);

    const stranger = await ferry.sessionFor(await insertPlatformAndUser(ferry.dataSource));
    const detail = await api(`/api/transfers/${body.id}`, { token: stranger });
    expect(detail.status).toBe(404);
    expect((await json(detail)).error.code).toBe('transfer_not_found');
    expect((await api(`/api/transfers/${body.id}/cancel`, { method: 'POST', token: stranger })).status).toBe(404);
    await expect(json(await api('/api/transfers', { token: stranger }))).resolves.toEqual([]);
    expect((await api(`/api/transfers/not-a-uuid`)).status).toBe(404);
  });

  it('lists the platform transfers, newest first, filtered by course', async () => {
    const first = await json(await create({ courseId: 2, fileIds: ['a'] }));
    const second = await json(await create({ courseId: 2, fileIds: ['c'] }));
    const list = await json(await api('/api/transfers?courseId=2'));
    expect(list.map((transfer: { id: string }) => transfer.id)).toEqual([second.id, first.id]);
    expect(list[0]).toMatchObject({ totals: { files: 1, bytes: 3000 }, progress: { bytesDone: 0, counts: { queued: 1 } } });
    await expect(json(await api('/api/transfers?courseId=3'))).resolves.toEqual([]);
    expect((await api('/api/transfers?courseId=x')).status).toBe(400);
  });

  it('cancels queued items at once, drops their jobs, and finishes the batch as cancelled', async () => {
    const body = await json(await create({ courseId: 2, fileIds: ['a', 'c'] }));
    const response = await api(`/api/transfers/${body.id}/cancel`, { method: 'POST' });
    expect(response.status).toBe(200);
    const detail = await json(response);
    expect(detail.status).toBe('cancelled');
    expect(detail.items.map((item: { status: string }) => item.status)).toEqual(['cancelled', 'cancelled']);
    for (const item of body.items) await expect(ferry.queue.getJob(item.id)).resolves.toBeUndefined();

    const again = await api(`/api/transfers/${body.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('transfer_not_cancellable');
  });

  it('cancels one item and retries it later', async () => {
    const body = await json(await create({ courseId: 2, fileIds: ['a', 'c'] }));
    const [first, second] = body.items;
    const cancelled = await json(await api(`/api/transfers/${body.id}/items/${first.id}/cancel`, { method: 'POST' }));
    expect(cancelled.items.map((item: { status: string }) => item.status)).toEqual(['cancelled', 'queued']);
    await expect(ferry.queue.getJob(second.id)).resolves.toBeDefined();
    expect((await api(`/api/transfers/${body.id}/items/${randomUUID()}/cancel`, { method: 'POST' })).status).toBe(404);

    const retried = await json(await api(`/api/transfers/${body.id}/retry`, { method: 'POST' }));
    expect(retried.items.map((item: { status: string }) => item.status)).toEqual(['queued', 'queued']);
    await expect(ferry.queue.getJob(first.id)).resolves.toBeDefined();
    const events = await ferry.dataSource.query('SELECT type FROM transfer_events WHERE transfer_id = $1 ORDER BY id', [body.id]);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['requested', 'cancel_requested', 'cancelled', 'retry_requested']);
  });

  it('hands out receipts as JSON and CSV', async () => {
    const body = await json(await create({ courseId: 2, fileIds: ['a', 'b'] }));
    const jsonResponse = await api(`/api/transfers/${body.id}/receipt.json`);
    expect(jsonResponse.headers.get('content-disposition')).toBe(`attachment; filename="ferry-receipt-${body.id}.json"`);
    const receipt = await json(jsonResponse);
    expect(receipt.items).toHaveLength(2);
    expect(receipt.items[1]).toMatchObject({
      fileId: 'b',
      blobName: 'TRANSFER101/Week 1/Folder/sub/dir/Café — résumé (v2).pdf',
      outcome: 'queued',
      sourceUrl: 'http://moodle.test/webservice/pluginfile.php/5/mod_resource/content/0/b.pdf?forcedownload=1',
    });
    expect(receipt.items[1].blobUrl).toMatch(/\/ferry\/TRANSFER101\/Week%201\/Folder\/sub\/dir\/Caf%C3%A9/);

    const csv = await api(`/api/transfers/${body.id}/receipt.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].startsWith('fileId,section,module,path,filename')).toBe(true);
  });

  it('streams snapshots as server-sent events and ends when the batch is final', async () => {
    const body = await json(await create({ courseId: 2, fileIds: ['a', 'c'] }));
    const response = await api(`/api/transfers/${body.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += value;
      }
    };
    await readUntil('\n\n');
    const first = JSON.parse(text.split('\n').find((line) => line.startsWith('data: '))!.slice(6));
    expect(first.transfer.status).toBe('queued');
    expect(first.items).toHaveLength(2);

    await api(`/api/transfers/${body.id}/cancel`, { method: 'POST' });
    await readUntil('event: end');
    const snapshots = text.split('\n\n').filter((block) => block.startsWith('event: snapshot'));
    const last = JSON.parse(snapshots[snapshots.length - 1].split('data: ')[1]);
    expect(last.transfer.status).toBe('cancelled');
    expect(last.items.map((item: { status: string }) => item.status)).toEqual(['cancelled', 'cancelled']);
    await expect(reader.read()).resolves.toMatchObject({ done: true });

    const unknown = await api(`/api/transfers/${randomUUID()}/events`);
    expect(unknown.status).toBe(404);
  });
});
