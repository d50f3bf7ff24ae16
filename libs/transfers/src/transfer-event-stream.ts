import type { Request, Response } from 'express';
import type { TransferItemResponse, TransferSummaryResponse } from './dto/transfer.dto';
import { isFinalTransferStatus } from './transfer-status';
import type { TransferViewer, TransfersService } from './transfers.service';

export interface EventStreamTiming {
  /** Snapshots go out at most this often, and only when something changed. */
  pollMs: number;
  heartbeatMs: number;
}

export const DEFAULT_EVENT_STREAM_TIMING: EventStreamTiming = { pollMs: 1000, heartbeatMs: 15_000 };
/** Items are re-read a little before the last read, so a row committed late is not missed; unchanged ones are not sent again. */
const REREAD_OVERLAP_MS = 5000;

function progressKey(transfer: TransferSummaryResponse): string {
  return JSON.stringify([transfer.status, transfer.progress.bytesDone, transfer.progress.counts, transfer.manifestBlobName]);
}

/**
 * `GET /api/transfers/:id/events`: server-sent events. `snapshot` carries the batch summary and the
 * items that changed since the previous one (all of them first); `end` follows the final snapshot.
 * The SPA reads it with fetch (the bearer header goes along) and falls back to polling the detail.
 */
export async function streamTransferEvents(
  transfers: TransfersService,
  viewer: TransferViewer,
  transferId: string,
  request: Request,
  response: Response,
  timing: EventStreamTiming = DEFAULT_EVENT_STREAM_TIMING,
): Promise<void> {
  // Read before any header goes out: an unknown transfer still answers a plain JSON 404.
  let snapshot = await transfers.snapshot(viewer, transferId, null);
  response.status(200);
  response.setHeader('content-type', 'text/event-stream; charset=utf-8');
  response.setHeader('cache-control', 'no-cache, no-transform');
  response.setHeader('x-accel-buffering', 'no');
  response.flushHeaders();

  let closed = false;
  const sentItems = new Map<string, string>();
  let sentProgress = '';
  let lastWriteAt = Date.now();
  const write = (text: string) => {
    if (closed) return;
    response.write(text);
    lastWriteAt = Date.now();
  };
  const send = (transfer: TransferSummaryResponse, items: TransferItemResponse[]) => {
    const changed = items.filter((item) => {
      const key = JSON.stringify(item);
      if (sentItems.get(item.id) === key) return false;
      sentItems.set(item.id, key);
      return true;
    });
    const progress = progressKey(transfer);
    if (changed.length === 0 && progress === sentProgress) return;
    sentProgress = progress;
    write(`event: snapshot\ndata: ${JSON.stringify({ transfer, items: changed })}\n\n`);
  };

  let wake: (() => void) | null = null;
  request.on('close', () => {
    closed = true;
    wake?.();
  });
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  send(snapshot.transfer, snapshot.items);
  try {
    while (!closed && !isFinalTransferStatus(snapshot.transfer.status)) {
      await pause(timing.pollMs);
      if (closed) break;
      snapshot = await transfers.snapshot(viewer, transferId, new Date(snapshot.readAt.getTime() - REREAD_OVERLAP_MS));
      send(snapshot.transfer, snapshot.items);
      if (Date.now() - lastWriteAt >= timing.heartbeatMs) write(': heartbeat\n\n');
    }
    if (!closed) write(`event: end\ndata: ${JSON.stringify({ status: snapshot.transfer.status })}\n\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
  } finally {
    if (!response.writableEnded) response.end();
  }
}
