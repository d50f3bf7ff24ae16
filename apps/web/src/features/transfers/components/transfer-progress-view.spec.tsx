import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '@/app/provider';
import { SectionBoundary } from '@/components/section-boundary';
import { saveSessionToken } from '@/lib/session-token';
import { errorBody, fakeApi, fakeEventStream, type FakeResponse } from '@/testing/fake-api';
import { snapshotOf, transferDetail, transferId, transferItem } from '@/testing/transfer-fixtures';
import { transferPollMs } from '../api/get-transfer';
import type { TransferDetail, TransferItem } from '../types';
import { itemPageSize } from './transfer-items';
import { TransferProgressView } from './transfer-progress-view';

type Routes = Parameters<typeof fakeApi>[0];

const base = `/api/transfers/${transferId}`;
const a = transferItem({ name: 'a.pdf', size: 4096 });
const b = transferItem({ name: 'b.pdf', size: 4096 });

function showProgress(routes: Routes, onFinished?: () => void) {
  saveSessionToken('admin-token');
  const api = fakeApi(routes);
  vi.stubGlobal('fetch', api.fetch);
  render(
    <StrictMode>
      <AppProvider>
        <SectionBoundary>
          <TransferProgressView transferId={transferId} onFinished={onFinished} />
        </SectionBoundary>
      </AppProvider>
    </StrictMode>,
  );
  return api;
}

/** Answers in turn; the last answer repeats. */
function inTurn(...answers: FakeResponse[]) {
  return () => (answers.length > 1 ? answers.shift()! : answers[0]);
}

const bar = (name: string) => screen.getByRole('progressbar', { name });
const valueOf = (name: string) => bar(name).getAttribute('aria-valuenow');
const batchStatus = () => screen.getByText(/files finished\.$/).textContent;
const count = (api: ReturnType<typeof fakeApi>, route: string) => api.calls.filter((call) => call.route === route).length;
const itemNames = () =>
  within(screen.getByRole('list', { name: 'Files in this transfer' }))
    .getAllByRole('listitem')
    .map((row) => row.querySelector('.transfer-item__name > span:last-child')!.textContent);

beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe(TransferProgressView.name, () => {
  it('draws the batch from the event stream, updates the bars with each snapshot, and stops at end', async () => {
    const stream = fakeEventStream();
    const onFinished = vi.fn();
    const api = showProgress({ [`GET ${base}`]: () => ({ body: transferDetail([a, b]) }), [`GET ${base}/events`]: () => stream.respond() }, onFinished);

    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    expect(batchStatus()).toBe('Queued: 0 of 2 files finished.');
    await waitFor(() => expect(stream.openCount).toBe(1));
    expect(api.calls.find((call) => call.route === `GET ${base}/events`)!.headers.get('authorization')).toBe('Bearer admin-token');
    expect(api.calls.find((call) => call.route === `GET ${base}/events`)!.headers.get('accept')).toBe('text/event-stream');

    const aRunning = { ...a, status: 'running' as const, bytesDone: 1024 };
    stream.write(': heartbeat\n\n');
    stream.send('snapshot', snapshotOf(transferDetail([aRunning, b]), [aRunning]));

    await waitFor(() => expect(valueOf('a.pdf')).toBe('25'));
    expect(valueOf('b.pdf')).toBe('0');
    expect(valueOf('Batch progress')).toBe('12');
    expect(bar('a.pdf').getAttribute('aria-valuetext')).toBe('1 KB of 4 KB (25%)');
    expect(batchStatus()).toBe('Running: 0 of 2 files finished.');
    expect(screen.getByText('Speed: 512 KB/s')).toBeTruthy();
    expect(screen.getByText('Time left: about 3 min 20 s')).toBeTruthy();
    expect(screen.getByText('Running: 1')).toBeTruthy();

    const aDone = { ...a, status: 'succeeded' as const, bytesDone: 4096 };
    const bDone = { ...b, status: 'succeeded' as const, bytesDone: 4096 };
    const done = transferDetail([aDone, bDone]);
    stream.write(`event: snapshot\ndata: ${JSON.stringify(snapshotOf(done, [aDone, bDone]))}\n\nevent: end\ndata: {"status":"succeeded"}\n\n`);

    await waitFor(() => expect(batchStatus()).toBe('Succeeded: 2 of 2 files finished.'));
    expect(valueOf('Batch progress')).toBe('100');
    expect(valueOf('b.pdf')).toBe('100');
    expect(screen.getByText('Average speed: 512 KB/s')).toBeTruthy();
    expect(screen.queryByText(/^Time left/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel transfer' })).toBeNull();
    await waitFor(() => expect(stream.openCount).toBe(0));
    expect(onFinished).toHaveBeenCalledTimes(1);
    const opened = stream.openedCount;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.openedCount).toBe(opened);
    expect(count(api, `GET ${base}`)).toBe(1);
  });

  it('polls the detail every 2 s when the event stream cannot be read, until the batch is final', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const aRunning = { ...a, status: 'running' as const, bytesDone: 2048 };
    const api = showProgress({
      [`GET ${base}`]: inTurn(
        { body: transferDetail([a, b]) },
        { body: transferDetail([aRunning, b]) },
        { body: transferDetail([{ ...a, status: 'succeeded' }, { ...b, status: 'failed', error: { code: 'blob_exists', message: 'The blob exists.' } }]) },
      ),
      [`GET ${base}/events`]: () => ({ status: 503, body: errorBody('service_unavailable', 'No streams here.') }),
    });

    await screen.findByText('Live updates are not available, so Ferry checks the progress every 2 seconds.');
    expect(count(api, `GET ${base}`)).toBe(1);

    await act(() => vi.advanceTimersByTimeAsync(transferPollMs));
    await waitFor(() => expect(valueOf('a.pdf')).toBe('50'));

    await act(() => vi.advanceTimersByTimeAsync(transferPollMs));
    await waitFor(() => expect(batchStatus()).toBe('Failed: 2 of 2 files finished.'));
    const calls = count(api, `GET ${base}`);
    expect(calls).toBe(3);

    await act(() => vi.advanceTimersByTimeAsync(3 * transferPollMs));
    expect(count(api, `GET ${base}`)).toBe(calls);
    expect(screen.queryByText(/^Live updates are not available/)).toBeNull();
  });

  it('polls when the stream closes before it says end', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const stream = fakeEventStream();
    const api = showProgress({
      [`GET ${base}`]: () => ({ body: transferDetail([a, b]) }),
      [`GET ${base}/events`]: () => stream.respond(),
    });
    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    await waitFor(() => expect(stream.openCount).toBe(1));

    stream.send('snapshot', snapshotOf(transferDetail([a, b])));
    stream.close();

    await screen.findByText(/^Live updates are not available/);
    await act(() => vi.advanceTimersByTimeAsync(transferPollMs));
    await waitFor(() => expect(count(api, `GET ${base}`)).toBe(2));
  });

  it('lists failed files first with their error, and retries one file or every failed one', async () => {
    const failed = (item: TransferItem, message: string): TransferItem => ({ ...item, status: 'failed', error: { code: 'size_mismatch', message } });
    const requeued = (item: TransferItem): TransferItem => ({ ...item, status: 'queued', error: null });
    const c = transferItem({ name: 'c.pdf' });
    const batch = transferDetail([{ ...a, status: 'succeeded' }, failed(b, 'Moodle sent 10 bytes, not 4096.'), failed(c, 'Timed out.')]);
    const retriedOne = transferDetail([{ ...a, status: 'succeeded' }, requeued(b), batch.items[2]]);
    const stream = fakeEventStream();
    const api = showProgress({
      [`GET ${base}`]: () => ({ body: batch }),
      [`GET ${base}/events`]: () => stream.respond(),
      [`POST ${base}/items/item-b.pdf/retry`]: () => ({ body: retriedOne }),
      [`POST ${base}/retry`]: () => ({ body: transferDetail(retriedOne.items.map((item) => (item.status === 'failed' ? requeued(item) : item))) }),
      'GET /api/transfers?courseId=2': () => ({ body: [] }),
    });

    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    expect(itemNames()).toEqual(['b.pdf', 'c.pdf', 'a.pdf']);
    expect(screen.getByText('Moodle sent 10 bytes, not 4096.')).toBeTruthy();
    expect(screen.getByText('Failed: 2')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel transfer' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Retry b.pdf' }));

    await waitFor(() => expect(screen.queryByRole('button', { name: 'Retry b.pdf' })).toBeNull());
    expect(count(api, `POST ${base}/items/item-b.pdf/retry`)).toBe(1);
    expect(screen.getByRole('button', { name: 'Cancel b.pdf' })).toBeTruthy();
    expect(batchStatus()).toBe('Running: 2 of 3 files finished.');
    await waitFor(() => expect(stream.openCount).toBe(1));

    fireEvent.click(screen.getByRole('button', { name: 'Retry failed' }));

    await waitFor(() => expect(screen.queryByRole('button', { name: 'Retry failed' })).toBeNull());
    expect(count(api, `POST ${base}/retry`)).toBe(1);
    expect(screen.queryByText('Timed out.')).toBeNull();
  });

  it('cancels one file and the whole batch while it runs, and says when there is nothing left to cancel', async () => {
    const running = transferDetail([{ ...a, status: 'running', bytesDone: 100 }, b]);
    const api = showProgress({
      [`GET ${base}`]: () => ({ body: running }),
      [`GET ${base}/events`]: () => fakeEventStream().respond(),
      [`POST ${base}/items/item-b.pdf/cancel`]: () => ({ body: transferDetail([running.items[0], { ...b, status: 'cancelled' }]) }),
      [`POST ${base}/cancel`]: () => ({ status: 409, body: errorBody('transfer_not_cancellable', 'Every file of this transfer has already finished.') }),
      'GET /api/transfers?courseId=2': () => ({ body: [] }),
    });
    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });

    fireEvent.click(screen.getByRole('button', { name: 'Cancel b.pdf' }));

    await screen.findByRole('button', { name: 'Retry b.pdf' });
    expect(count(api, `POST ${base}/items/item-b.pdf/cancel`)).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel transfer' }));

    expect((await screen.findByRole('alert')).textContent).toBe('These files have already finished; there is nothing to cancel.');
    expect(count(api, `POST ${base}/cancel`)).toBe(1);
  });

  it('downloads the receipts through the api with the bearer token, under the name the server gives', async () => {
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:ferry/receipt');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const api = showProgress({
      [`GET ${base}`]: () => ({ body: transferDetail([{ ...a, status: 'succeeded' }]) }),
      [`GET ${base}/receipt.csv`]: () => ({
        raw: 'itemId,filename\nitem-a.pdf,a.pdf\n',
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="ferry-receipt-${transferId}.csv"` },
      }),
      [`GET ${base}/receipt.json`]: () => ({ body: { transferId, items: [] } }),
    });
    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });

    fireEvent.click(screen.getByRole('button', { name: 'Download receipt (CSV)' }));
    await waitFor(() => expect(saved).toEqual([`ferry-receipt-${transferId}.csv`]));
    fireEvent.click(screen.getByRole('button', { name: 'Download receipt (JSON)' }));
    await waitFor(() => expect(saved).toEqual([`ferry-receipt-${transferId}.csv`, `ferry-receipt-${transferId}.json`]));

    const csv = api.calls.find((call) => call.route === `GET ${base}/receipt.csv`)!;
    expect(csv.headers.get('authorization')).toBe('Bearer admin-token');
    expect(csv.headers.get('accept')).toBe('text/csv');
    await expect((createObjectURL.mock.calls[0][0] as Blob).text()).resolves.toBe('itemId,filename\nitem-a.pdf,a.pdf\n');
  });

  it('says so when a receipt cannot be downloaded', async () => {
    showProgress({
      [`GET ${base}`]: () => ({ body: transferDetail([{ ...a, status: 'succeeded' }]) }),
      [`GET ${base}/receipt.csv`]: () => ({ status: 404, body: errorBody('transfer_not_found', 'There is no such transfer on this platform.') }),
    });
    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });

    fireEvent.click(screen.getByRole('button', { name: 'Download receipt (CSV)' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'The receipt could not be downloaded. Ferry has no such transfer on this platform.',
    );
  });

  it(`draws a batch of 5,000 files ${itemPageSize} at a time, failed ones first`, async () => {
    const items = Array.from({ length: 5000 }, (_, index) =>
      transferItem({
        name: `file-${String(index).padStart(4, '0')}.pdf`,
        status: index % 1000 === 999 ? 'failed' : 'succeeded',
        error: index % 1000 === 999 ? { code: 'size_mismatch', message: 'Size changed.' } : null,
      }),
    );
    const detail: TransferDetail = transferDetail(items);
    showProgress({ [`GET ${base}`]: () => ({ body: detail }) });

    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    const names = itemNames();
    expect(names).toHaveLength(itemPageSize);
    expect(names.slice(0, 6)).toEqual(['file-0999.pdf', 'file-1999.pdf', 'file-2999.pdf', 'file-3999.pdf', 'file-4999.pdf', 'file-0000.pdf']);
    expect(screen.getByText('Showing 200 of 5,000 files.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Show 200 more' }));

    expect(itemNames()).toHaveLength(2 * itemPageSize);
  });
});
