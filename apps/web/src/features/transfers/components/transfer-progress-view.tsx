import { useEffect, useId, useRef } from 'react';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatPercent } from '@/lib/format';
import { useLanguage, useT } from '@/lib/i18n/i18n';
import { useCancelTransfer } from '../api/cancel-transfer';
import { useDownloadReceipt } from '../api/download-receipt';
import { useLiveTransfer } from '../api/get-transfer-events';
import { useRetryTransfer } from '../api/retry-transfer';
import { transferErrorText } from '../transfer-errors';
import { batchFraction, finishedFiles } from '../transfer-progress';
import { isFinalTransferStatus, transferItemStatuses, type TransferDetail, type TransferSummary } from '../types';
import { ProgressBar } from './progress-bar';
import { statusNames } from './status-label';
import { conflictNames } from './transfer-request-form';
import { TransferItems } from './transfer-items';

interface TransferProgressViewProps {
  transferId: string;
  /** Changes when the admin asks to see this transfer: its heading then takes focus. */
  focusRequest?: number;
  /** The batch, seen running, turned final. */
  onFinished?: () => void;
}

/** Where a batch's files go: the container, and the prefix in it. */
export function destinationOf({ container, prefix }: Pick<TransferSummary, 'container' | 'prefix'>): string {
  return prefix ? `${container}/${prefix.replace(/\/$/, '')}` : container;
}

/**
 * One batch as it runs: its progress, speed and time left, the files by status, and each file's
 * own progress. Live while it runs (the event stream, else polling); cancel while it runs, retry
 * what failed, and download its receipt.
 */
export function TransferProgressView({ transferId, focusRequest, onFinished }: TransferProgressViewProps) {
  const t = useT();
  const language = useLanguage();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { transfer, updates } = useLiveTransfer(transferId, { onFinished });
  const open = !isFinalTransferStatus(transfer.status);
  const fraction = batchFraction(transfer);
  const bytesDone = formatBytes(transfer.progress.bytesDone, language);
  const bytesTotal = formatBytes(transfer.totals.bytes, language);
  const { throughput, etaSeconds } = transfer.progress;

  useEffect(() => {
    if (focusRequest !== undefined) headingRef.current?.focus();
  }, [focusRequest]);

  return (
    <section aria-labelledby={headingId} className="transfer-progress">
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('transfers.progress.heading')}
      </h3>
      <dl className="facts">
        <div>
          <dt>{t('transfers.progress.course')}</dt>
          <dd>{transfer.course.fullname}</dd>
        </div>
        <div>
          <dt>{t('transfers.progress.destination')}</dt>
          <dd className="transfer-progress__destination">{destinationOf(transfer)}</dd>
        </div>
        <div>
          <dt>{t('transfers.progress.conflict')}</dt>
          <dd>{t(conflictNames[transfer.conflict].label)}</dd>
        </div>
        <div>
          <dt>{t('transfers.progress.requested')}</dt>
          <dd>{formatDateTime(transfer.createdAt, language)}</dd>
        </div>
        {transfer.finishedAt && (
          <div>
            <dt>{t('transfers.progress.finished')}</dt>
            <dd>{formatDateTime(transfer.finishedAt, language)}</dd>
          </div>
        )}
        {transfer.manifestBlobName && (
          <div>
            <dt>{t('transfers.progress.manifest')}</dt>
            <dd>{transfer.manifestBlobName}</dd>
          </div>
        )}
      </dl>

      <p role="status" className="transfer-progress__status">
        {t('transfers.progress.status', {
          status: t(statusNames[transfer.status]),
          done: formatCount(finishedFiles(transfer), language),
          total: formatCount(transfer.totals.files, language),
        })}
      </p>
      <ProgressBar
        label={t('transfers.progress.batch')}
        fraction={fraction}
        valueText={t('transfers.progress.bytes', { done: bytesDone, total: bytesTotal, percent: formatPercent(fraction, language) })}
      />
      <p className="transfer-progress__numbers">
        <span>{t('transfers.progress.bytes', { done: bytesDone, total: bytesTotal, percent: formatPercent(fraction, language) })}</span>
        {throughput !== null && (
          <span>
            {t(open ? 'transfers.progress.speed' : 'transfers.progress.averageSpeed', { rate: formatBytes(throughput, language) })}
          </span>
        )}
        {open && etaSeconds !== null && <span>{t('transfers.progress.eta', { duration: formatDuration(etaSeconds, language) })}</span>}
      </p>
      {updates === 'polling' && <p className="muted">{t('transfers.progress.polling')}</p>}

      <ul className="transfer-counts" aria-label={t('transfers.progress.counts')}>
        {transferItemStatuses.map((status) => (
          <li key={status}>
            {t('transfers.count', { status: t(statusNames[status]), count: formatCount(transfer.progress.counts[status], language) })}
          </li>
        ))}
      </ul>

      <BatchActions transfer={transfer} />
      <ReceiptDownloads transferId={transfer.id} />
      <TransferItems transferId={transfer.id} items={transfer.items} />
    </section>
  );
}

function BatchActions({ transfer }: { transfer: TransferDetail }) {
  const t = useT();
  const hintId = useId();
  const cancel = useCancelTransfer(transfer.id);
  const retry = useRetryTransfer(transfer.id);
  const open = !isFinalTransferStatus(transfer.status);
  const retryable = transfer.progress.counts.failed + transfer.progress.counts.cancelled > 0;
  if (!open && !retryable) return null;

  return (
    <div className="transfer-actions">
      <div className="form__actions">
        {open && (
          <button type="button" className="button button--secondary" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            {t('transfers.progress.cancel')}
          </button>
        )}
        {retryable && (
          <button type="button" className="button" disabled={retry.isPending} onClick={() => retry.mutate()} aria-describedby={hintId}>
            {t('transfers.progress.retry')}
          </button>
        )}
        <p role="status" className="muted">
          {cancel.isPending ? t('transfers.progress.cancelling') : retry.isPending ? t('transfers.progress.retrying') : ''}
        </p>
      </div>
      {retryable && (
        <p id={hintId} className="field__hint">
          {t('transfers.progress.retry.hint')}
        </p>
      )}
      {cancel.isError && (
        <p className="notice notice--error" role="alert">
          {transferErrorText(t, cancel.error)}
        </p>
      )}
      {retry.isError && (
        <p className="notice notice--error" role="alert">
          {transferErrorText(t, retry.error)}
        </p>
      )}
    </div>
  );
}

function ReceiptDownloads({ transferId }: { transferId: string }) {
  const t = useT();
  const download = useDownloadReceipt(transferId);
  return (
    <div className="transfer-receipt">
      <div className="form__actions">
        <button type="button" className="button button--secondary" disabled={download.isPending} onClick={() => download.mutate('csv')}>
          {t('transfers.receipt.csv')}
        </button>
        <button type="button" className="button button--secondary" disabled={download.isPending} onClick={() => download.mutate('json')}>
          {t('transfers.receipt.json')}
        </button>
        <p role="status" className="muted">
          {download.isPending ? t('transfers.receipt.preparing') : ''}
        </p>
      </div>
      {download.isError && (
        <p className="notice notice--error" role="alert">
          {t('transfers.receipt.failed', { message: transferErrorText(t, download.error) })}
        </p>
      )}
    </div>
  );
}
