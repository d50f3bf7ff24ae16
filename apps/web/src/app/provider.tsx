import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from '@/lib/api-client';
import { I18nProvider } from '@/lib/i18n/i18n';

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Only a failure that might go away on its own is worth retrying. Ferry has already retried
        // its reads from Moodle (moodle_* codes) with backoff; the admin gets a retry button instead.
        retry: (failureCount, error) =>
          failureCount < 2 &&
          (!(error instanceof ApiError) || error.status === 0 || (error.status >= 500 && !error.code.startsWith('moodle_'))),
      },
    },
  });
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>{children}</I18nProvider>
    </QueryClientProvider>
  );
}
