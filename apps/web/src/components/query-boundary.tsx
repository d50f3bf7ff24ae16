import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { Suspense, type ComponentType, type ReactNode } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { ErrorBoundary, type ErrorFallbackProps } from './errors/error-boundary';
import { ErrorMessage } from './errors/error-message';

interface QueryBoundaryProps {
  children: ReactNode;
  /** What to show when a query inside fails; a generic message with a retry by default. */
  errorFallback?: ComponentType<ErrorFallbackProps>;
}

/**
 * One route section: a loading state while its queries suspend, and an error fallback when one
 * fails. "Try again" also resets the failed queries, so they fetch again instead of rethrowing.
 */
export function QueryBoundary({ children, errorFallback = ErrorMessage }: QueryBoundaryProps) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset} fallback={errorFallback}>
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

function Loading() {
  const t = useT();
  return (
    <main className="page" aria-busy="true">
      <p role="status">{t('app.loading')}</p>
    </main>
  );
}
