import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { TransferDetail } from '../types';
import { storeTransfer } from './store-transfer';

/** Queued files are cancelled at once, running ones stop before anything is committed; 409 when all have finished. */
export function cancelTransfer(transferId: string): Promise<TransferDetail> {
  return apiClient.post<TransferDetail>(`/api/transfers/${encodeURIComponent(transferId)}/cancel`);
}

export function useCancelTransfer(transferId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => cancelTransfer(transferId),
    onSuccess: (detail) => storeTransfer(queryClient, detail),
  });
}
