import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { TransferDetail } from '../types';
import { storeTransfer } from './store-transfer';

/** Puts one failed or cancelled file back in the queue. */
export function retryTransferItem(transferId: string, itemId: string): Promise<TransferDetail> {
  return apiClient.post<TransferDetail>(`/api/transfers/${encodeURIComponent(transferId)}/items/${encodeURIComponent(itemId)}/retry`);
}

export function useRetryTransferItem(transferId: string, itemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => retryTransferItem(transferId, itemId),
    onSuccess: (detail) => storeTransfer(queryClient, detail),
  });
}
