import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { TransferDetail } from '../types';
import { storeTransfer } from './store-transfer';

/** Puts the failed and cancelled files back in the queue; succeeded and skipped ones stay as they are. */
export function retryTransfer(transferId: string): Promise<TransferDetail> {
  return apiClient.post<TransferDetail>(`/api/transfers/${encodeURIComponent(transferId)}/retry`);
}

export function useRetryTransfer(transferId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => retryTransfer(transferId),
    onSuccess: (detail) => storeTransfer(queryClient, detail),
  });
}
