import { useId } from 'react';
import { formatBytes, formatCount, formatDateTime } from '@/lib/format';
import { useLanguage, useT } from '@/lib/i18n/i18n';
import { useTransfers } from '../api/get-transfers';
import { finishedFiles } from '../transfer-progress';
import { transferItemStatuses } from '../types';
import { StatusLabel, statusNames } from './status-label';
import { destinationOf } from './transfer-progress-view';

interface TransferHistoryProps {
  courseId: number;
  /** The transfer whose progress is shown, if any. */
  shownId: string | null;
  onOpen: (transferId: string) => void;
}

/** A course's transfers, newest first, each one's progress a click away. */
export function TransferHistory({ courseId, shownId, onOpen }: TransferHistoryProps) {
  const t = useT();
  const language = useLanguage();
  const headingId = useId();
  const transfers = useTransfers(courseId);

  return (
    <section aria-labelledby={headingId} className="transfer-history">
      <h3 id={headingId}>{t('transfers.history.heading')}</h3>
      {transfers.length === 0 ? (
        <p>{t('transfers.history.empty')}</p>
      ) : (
        <ol className="transfer-history__list" aria-labelledby={headingId}>
          {transfers.map((transfer) => {
            const date = formatDateTime(transfer.createdAt, language);
            const shown = transfer.id === shownId;
            return (
              <li key={transfer.id} className="transfer-history__item" aria-current={shown ? 'true' : undefined}>
                <div className="transfer-history__head">
                  <span className="transfer-history__date">{date}</span>
                  <StatusLabel status={transfer.status} />
                </div>
                <p>
                  {t('transfers.history.summary', {
                    done: formatCount(finishedFiles(transfer), language),
                    total: formatCount(transfer.totals.files, language),
                    size: formatBytes(transfer.totals.bytes, language),
                  })}
                </p>
                <p className="muted">
                  {transferItemStatuses
                    .filter((status) => transfer.progress.counts[status] > 0)
                    .map((status) =>
                      t('transfers.count', { status: t(statusNames[status]), count: formatCount(transfer.progress.counts[status], language) }),
                    )
                    .join(' · ')}
                </p>
                <p className="muted">{t('transfers.history.destination', { destination: destinationOf(transfer) })}</p>
                <div className="transfer-history__open">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onOpen(transfer.id)}
                    aria-label={t('transfers.history.openLabel', { date })}
                  >
                    {t('transfers.history.open')}
                  </button>
                  {shown && <span className="badge">{t('transfers.history.shown')}</span>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
