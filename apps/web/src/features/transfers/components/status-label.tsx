import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';
import type { TransferItemStatus, TransferStatus } from '../types';

export const statusNames: Record<TransferItemStatus, PlainMessageKey> = {
  queued: 'transfers.status.queued',
  running: 'transfers.status.running',
  succeeded: 'transfers.status.succeeded',
  failed: 'transfers.status.failed',
  cancelled: 'transfers.status.cancelled',
  skipped: 'transfers.status.skipped',
};

/** A batch's or a file's status, in words; the colour only repeats them. */
export function StatusLabel({ status }: { status: TransferStatus | TransferItemStatus }) {
  const t = useT();
  return <span className={`status status--${status}`}>{t(statusNames[status])}</span>;
}
