import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { TransferDetail } from '../types';
import { storeTransfer } from './store-transfer';

/** One queued or running file; 409 when it has already finished. */
export function cancelTransferItem(transferId: string, itemId: string): Promise<TransferDetail> {
  return apiClient.post<TransferDetail>(`/api/transfers/${encodeURIComponent(transferId)}/items/${encodeURIComponent(itemId)}/cancel`);
}

export function useCancelTransferItem(transferId: string, itemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => cancelTransferItem(transferId, itemId),
    onSuccess: (detail) => storeTransfer(queryClient, detail),
  });
}
