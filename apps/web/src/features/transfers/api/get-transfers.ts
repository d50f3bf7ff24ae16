import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { TransferSummary } from '../types';
import { transferKeys } from './transfer-keys';

/** A course's most recent transfers (Ferry answers at most 200), without their items. */
export function getTransfers(courseId: number): Promise<TransferSummary[]> {
  return apiClient.get<TransferSummary[]>(`/api/transfers?courseId=${courseId}`);
}

function newestFirst(transfers: TransferSummary[]): TransferSummary[] {
  return [...transfers].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

export const transfersQueryOptions = (courseId: number) =>
  queryOptions({ queryKey: transferKeys.list(courseId), queryFn: () => getTransfers(courseId), select: newestFirst });

export function useTransfers(courseId: number) {
  return useSuspenseQuery(transfersQueryOptions(courseId)).data;
}
