import type { QueryClient } from '@tanstack/react-query';
import type { TransferDetail } from '../types';
import { transferKeys } from './transfer-keys';

/**
 * After a cancel or a retry, whose answer is the batch as it now is: that answer becomes the
 * detail, and the lists (their counts and statuses) are fetched again.
 */
export function storeTransfer(queryClient: QueryClient, detail: TransferDetail): Promise<void> {
  queryClient.setQueryData(transferKeys.detail(detail.id), detail);
  return queryClient.invalidateQueries({ queryKey: transferKeys.lists() });
}
