import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '@/app/provider';
import { SectionBoundary } from '@/components/section-boundary';
import { saveSessionToken } from '@/lib/session-token';
import { fakeApi } from '@/testing/fake-api';
import { summaryOf, transferDetail, transferItem } from '@/testing/transfer-fixtures';
import type { TransferSummary } from '../types';
import { TransferHistory } from './transfer-history';

function showHistory(transfers: TransferSummary[], onOpen = vi.fn()) {
  saveSessionToken('admin-token');
  const api = fakeApi({ 'GET /api/transfers?courseId=2': () => ({ body: transfers }) });
  vi.stubGlobal('fetch', api.fetch);
  render(
    <AppProvider>
      <SectionBoundary>
        <TransferHistory courseId={2} shownId="march" onOpen={onOpen} />
      </SectionBoundary>
    </AppProvider>,
  );
  return { api, onOpen };
}

afterEach(() => vi.restoreAllMocks());

describe(TransferHistory.name, () => {
  it("lists the course's transfers newest first, with status, counts, size and date, and opens one", async () => {
    const january = {
      ...summaryOf(transferDetail([transferItem({ name: 'a', status: 'succeeded', size: 1024 }), transferItem({ name: 'b', status: 'failed', size: 1024 })])),
      id: 'january',
      createdAt: '2025-01-15T09:30:00.000Z',
      prefix: 'archive/2025',
    };
    const march = {
      ...summaryOf(transferDetail([transferItem({ name: 'c', status: 'running', size: 3 * 1024 * 1024 })])),
      id: 'march',
      createdAt: '2025-03-02T14:00:00.000Z',
    };
    const { api, onOpen } = showHistory([january, march]);

    const list = await screen.findByRole('list', { name: 'Past transfers' });
    const entries = within(list).getAllByRole('listitem');
    expect(entries.map((entry) => entry.querySelector('.status')!.textContent)).toEqual(['Running', 'Failed']);
    expect(entries[0].getAttribute('aria-current')).toBe('true');
    expect(within(entries[0]).getByText('0 of 1 files finished (3 MB)')).toBeTruthy();
    expect(within(entries[1]).getByText('2 of 2 files finished (2 KB)')).toBeTruthy();
    expect(within(entries[1]).getByText('Succeeded: 1 · Failed: 1')).toBeTruthy();
    expect(within(entries[1]).getByText('To ferry/archive/2025')).toBeTruthy();
    expect(within(entries[1]).getByText(/Jan 15, 2025/)).toBeTruthy();
    expect(api.calls[0].headers.get('authorization')).toBe('Bearer admin-token');

    fireEvent.click(within(entries[1]).getByRole('button', { name: /^View progress of the transfer of Jan 15, 2025/ }));

    expect(onOpen).toHaveBeenCalledWith('january');
  });

  it('says when the course has no transfers yet', async () => {
    showHistory([]);

    await screen.findByText('No files of this course have been transferred yet.');
    expect(screen.getByRole('heading', { level: 3, name: 'Past transfers' })).toBeTruthy();
  });
});
