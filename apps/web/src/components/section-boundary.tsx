import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { isApiError } from '@/lib/api-client';
import { useT } from '@/lib/i18n/i18n';
import { isMoodleConnectionLost, moodleProblem } from '@/lib/moodle-errors';
import { ErrorBoundary, type ErrorFallbackProps } from './errors/error-boundary';

interface SectionBoundaryProps {
  children: ReactNode;
  /**
   * Called when a query inside found the Moodle connection gone. A boundary without it passes
   * that error on to the boundary above, whose owner knows how to reconnect.
   */
  onConnectionLost?: () => void;
}

/**
 * Part of a page (inside the shell's `<main>`): a loading line while its queries suspend, and an
 * inline error with a retry when one fails; Moodle's failures (unreachable, maintenance…) in words.
 */
export function SectionBoundary({ children, onConnectionLost }: SectionBoundaryProps) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ResettingBoundary resetQueries={reset} onConnectionLost={onConnectionLost}>
          {children}
        </ResettingBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

function ResettingBoundary({ children, onConnectionLost, resetQueries }: SectionBoundaryProps & { resetQueries: () => void }) {
  // One fallback component per boundary: a new one on every render would remount the fallback.
  const fallback = useMemo(
    () =>
      function SectionFallback(props: ErrorFallbackProps) {
        return <SectionError {...props} onConnectionLost={onConnectionLost} resetQueries={resetQueries} />;
      },
    [onConnectionLost, resetQueries],
  );
  return (
    <ErrorBoundary onReset={resetQueries} fallback={fallback}>
      <Suspense fallback={<SectionLoading />}>{children}</Suspense>
    </ErrorBoundary>
  );
}

export function SectionLoading() {
  const t = useT();
  return (
    <p role="status" aria-busy="true" className="muted">
      {t('app.loading')}
    </p>
  );
}

interface SectionErrorProps extends ErrorFallbackProps {
  onConnectionLost?: () => void;
  resetQueries: () => void;
}

function SectionError({ error, reset, onConnectionLost, resetQueries }: SectionErrorProps) {
  const t = useT();
  const connectionLost = isMoodleConnectionLost(error);
  if (connectionLost && !onConnectionLost) throw error;

  useEffect(() => {
    if (!connectionLost) return;
    // The failed queries may fetch again when they mount after reconnecting.
    resetQueries();
    onConnectionLost?.();
  }, [connectionLost, onConnectionLost, resetQueries]);

  if (connectionLost) return null;
  const problem = moodleProblem(error);
  return (
    <div className="notice notice--error" role="alert">
      <p>{problem ? t(problem) : t('error.body')}</p>
      {isApiError(error) && <p className="muted">{t('error.code', { code: error.code })}</p>}
      <button type="button" className="button" onClick={reset}>
        {t('error.retry')}
      </button>
    </div>
  );
}
