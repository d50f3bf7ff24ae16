import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { isFinalTransferStatus, type TransferDetail } from '../types';
import { transferKeys } from './transfer-keys';

/** How often to ask for the batch when its event stream cannot be read. */
export const transferPollMs = 2000;

export function getTransfer(transferId: string): Promise<TransferDetail> {
  return apiClient.get<TransferDetail>(`/api/transfers/${encodeURIComponent(transferId)}`);
}

export const transferQueryOptions = (transferId: string) =>
  queryOptions({ queryKey: transferKeys.detail(transferId), queryFn: () => getTransfer(transferId) });

/** The batch with every item; with `poll`, asked for again every two seconds until it is final. */
export function useTransfer(transferId: string, { poll = false }: { poll?: boolean } = {}) {
  return useSuspenseQuery({
    ...transferQueryOptions(transferId),
    refetchInterval: (query) => (poll && query.state.data && !isFinalTransferStatus(query.state.data.status) ? transferPollMs : false),
  }).data;
}
