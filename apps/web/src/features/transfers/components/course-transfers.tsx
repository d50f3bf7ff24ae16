import { useId, useState } from 'react';
import { SectionBoundary } from '@/components/section-boundary';
import { useT } from '@/lib/i18n/i18n';
import { TransferHistory } from './transfer-history';
import { TransferProgressView } from './transfer-progress-view';
import { TransferRequestForm } from './transfer-request-form';

interface CourseTransfersProps {
  courseId: number;
  /** The selected files that can be transferred, in course order, and their total size. */
  fileIds: readonly string[];
  bytes: number;
  /** A transfer shown here finished: what it copied is now in the container. */
  onTransferFinished?: () => void;
}

/**
 * What acts on a course's selection: the request form, the progress of the transfer just made or
 * picked from the history, and the course's past transfers.
 */
export function CourseTransfers({ courseId, fileIds, bytes, onTransferFinished }: CourseTransfersProps) {
  const t = useT();
  const headingId = useId();
  const [shown, setShown] = useState<{ transferId: string; request: number } | null>(null);
  const show = (transferId: string) => setShown((current) => ({ transferId, request: (current?.request ?? 0) + 1 }));

  return (
    <>
      <section aria-labelledby={headingId} className="transfer-request">
        <h3 id={headingId}>{t('transfers.heading')}</h3>
        <TransferRequestForm courseId={courseId} fileIds={fileIds} bytes={bytes} onCreated={show} />
      </section>
      {shown && (
        <SectionBoundary key={shown.transferId}>
          <TransferProgressView transferId={shown.transferId} focusRequest={shown.request} onFinished={onTransferFinished} />
        </SectionBoundary>
      )}
      <SectionBoundary>
        <TransferHistory courseId={courseId} shownId={shown?.transferId ?? null} onOpen={show} />
      </SectionBoundary>
    </>
  );
}
