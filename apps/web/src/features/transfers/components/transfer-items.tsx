import { memo, useId, useMemo, useState } from 'react';
import { formatBytes, formatCount, formatPercent } from '@/lib/format';
import { useLanguage, useT } from '@/lib/i18n/i18n';
import { useCancelTransferItem } from '../api/cancel-transfer-item';
import { useRetryTransferItem } from '../api/retry-transfer-item';
import { transferErrorText } from '../transfer-errors';
import { failedFirst, itemFraction } from '../transfer-progress';
import type { TransferItem } from '../types';
import { ProgressBar } from './progress-bar';
import { StatusLabel } from './status-label';

/** Files drawn at once; "show more" adds as many. Keeps a batch of thousands quick to update. */
export const itemPageSize = 200;

/** A batch's files, failed ones first, each with its progress and what can be done with it. */
export function TransferItems({ transferId, items }: { transferId: string; items: readonly TransferItem[] }) {
  const t = useT();
  const language = useLanguage();
  const headingId = useId();
  const ordered = useMemo(() => failedFirst(items), [items]);
  const [limit, setLimit] = useState(itemPageSize);
  const shown = ordered.slice(0, limit);

  return (
    <>
      <h4 id={headingId} className="transfer-items__heading">
        {t('transfers.items.label')}
      </h4>
      <ol className="transfer-items" aria-labelledby={headingId}>
        {shown.map((item) => (
          <TransferItemRow key={item.id} transferId={transferId} item={item} />
        ))}
      </ol>
      {ordered.length > shown.length && (
        <div className="file-list__more">
          <p className="muted">
            {t('transfers.items.showing', { shown: formatCount(shown.length, language), total: formatCount(ordered.length, language) })}
          </p>
          <button type="button" className="button button--secondary" onClick={() => setLimit((current) => current + itemPageSize)}>
            {t('transfers.items.showMore', { count: formatCount(Math.min(itemPageSize, ordered.length - shown.length), language) })}
          </button>
        </div>
      )}
    </>
  );
}

/** One file; drawn again only when the stream brings a change to it. */
const TransferItemRow = memo(function TransferItemRow({ transferId, item }: { transferId: string; item: TransferItem }) {
  const t = useT();
  const language = useLanguage();
  const nameId = useId();
  const fraction = itemFraction(item);
  const folder = item.path && item.path !== '/' ? item.path : null;
  const done = formatBytes(fraction === 1 ? item.size : item.bytesDone, language);
  const size = formatBytes(item.size, language);

  return (
    <li className={`transfer-item transfer-item--${item.status}`}>
      <div className="transfer-item__head">
        <span className="transfer-item__name">
          {folder && <span className="file-table__path">{folder}</span>}
          <span id={nameId}>{item.name}</span>
        </span>
        <StatusLabel status={item.status} />
      </div>
      <ProgressBar
        labelledBy={nameId}
        fraction={fraction}
        valueText={t('transfers.progress.bytes', { done, total: size, percent: formatPercent(fraction, language) })}
      />
      <p className="transfer-item__bytes muted">{t('transfers.item.bytes', { done, size })}</p>
      {item.error && (
        <p className="transfer-item__error">
          {item.error.message || item.error.code}
          <span className="transfer-item__code muted">{t('error.code', { code: item.error.code })}</span>
        </p>
      )}
      {(item.status === 'failed' || item.status === 'cancelled') && <RetryItem transferId={transferId} item={item} />}
      {(item.status === 'queued' || item.status === 'running') && <CancelItem transferId={transferId} item={item} />}
    </li>
  );
});

function RetryItem({ transferId, item }: { transferId: string; item: TransferItem }) {
  const t = useT();
  const retry = useRetryTransferItem(transferId, item.id);
  return <ItemAction action={retry} text={t('transfers.item.retry')} label={t('transfers.item.retryLabel', { name: item.name })} />;
}

function CancelItem({ transferId, item }: { transferId: string; item: TransferItem }) {
  const t = useT();
  const cancel = useCancelTransferItem(transferId, item.id);
  return <ItemAction action={cancel} text={t('transfers.item.cancel')} label={t('transfers.item.cancelLabel', { name: item.name })} />;
}

/** One file's button, and why it failed when it did. */
function ItemAction({ action, text, label }: { action: { isPending: boolean; isError: boolean; error: unknown; mutate: () => void }; text: string; label: string }) {
  const t = useT();
  return (
    <div className="transfer-item__actions">
      <button type="button" className="button button--secondary" disabled={action.isPending} onClick={() => action.mutate()} aria-label={label}>
        {text}
      </button>
      {action.isError && (
        <p className="field__error" role="alert">
          {transferErrorText(t, action.error)}
        </p>
      )}
    </div>
  );
}
