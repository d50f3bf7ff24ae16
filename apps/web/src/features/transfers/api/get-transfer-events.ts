import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { ApiError, apiClient } from '@/lib/api-client';
import { readEventStream } from '@/lib/server-sent-events';
import { mergeSnapshot } from '../transfer-progress';
import { isFinalTransferStatus, type TransferDetail, type TransferSnapshot } from '../types';
import { useTransfer } from './get-transfer';
import { transferKeys } from './transfer-keys';

/**
 * `GET /api/transfers/:id/events`, read with fetch rather than EventSource so the bearer header
 * goes along. Calls `onSnapshot` for each `snapshot` (the first has every item, later ones only
 * the changed items); resolves at `end`, rejects when the stream fails or closes before it.
 */
export async function followTransferEvents(
  transferId: string,
  onSnapshot: (snapshot: TransferSnapshot) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await apiClient.getResponse(`/api/transfers/${encodeURIComponent(transferId)}/events`, {
    accept: 'text/event-stream',
    signal,
  });
  if (!response.body) throw new ApiError(response.status, 'invalid_response', 'The event stream has no body.');
  for await (const event of readEventStream(response.body, signal)) {
    if (event.type === 'snapshot') onSnapshot(JSON.parse(event.data) as TransferSnapshot);
    else if (event.type === 'end') return;
    else if (event.type === 'error') throw new ApiError(response.status, 'stream_failed', event.data);
  }
  throw new ApiError(response.status, 'stream_closed', 'The event stream closed before the transfer ended.');
}

/** How the page hears of progress: the event stream, polling the detail, or not at all (final). */
export type LiveUpdates = 'stream' | 'polling' | 'none';

interface LiveTransferOptions {
  /** When a batch seen running turns final, say to fetch what it changed elsewhere. */
  onFinished?: () => void;
}

/**
 * A batch and its items, kept current while it runs: snapshots from the event stream are merged
 * into the detail query; when the stream cannot be read, the detail is polled every two seconds
 * until it is final. A retry that reopens a final batch opens the stream again.
 */
export function useLiveTransfer(transferId: string, { onFinished }: LiveTransferOptions = {}) {
  const queryClient = useQueryClient();
  const [polling, setPolling] = useState(false);
  const transfer = useTransfer(transferId, { poll: polling });
  const open = !isFinalTransferStatus(transfer.status);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const key = transferKeys.detail(transferId);
    const onSnapshot = (snapshot: TransferSnapshot) => {
      queryClient.setQueryData<TransferDetail>(key, (current) => mergeSnapshot(current, snapshot));
      setPolling(false);
    };
    followTransferEvents(transferId, onSnapshot, controller.signal).then(
      () => {
        if (controller.signal.aborted) return;
        // `end` follows the final snapshot; should that one have been missed, the poll finds it.
        const current = queryClient.getQueryData<TransferDetail>(key);
        if (current && !isFinalTransferStatus(current.status)) setPolling(true);
      },
      () => {
        if (!controller.signal.aborted) setPolling(true);
      },
    );
    return () => controller.abort();
  }, [transferId, open, queryClient]);

  const finished = useEffectEvent(() => {
    void queryClient.invalidateQueries({ queryKey: transferKeys.lists() });
    onFinished?.();
  });
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) finished();
    wasOpen.current = open;
  }, [open]);

  const updates: LiveUpdates = !open ? 'none' : polling ? 'polling' : 'stream';
  return { transfer, updates };
}
