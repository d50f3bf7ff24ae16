import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { isMoodleConnectionLost } from '@/lib/moodle-errors';
import type { CreatedTransfer, CreateTransferRequest } from '../types';
import { transferKeys } from './transfer-keys';

/** Ferry checks the selection against the course's current file list in Moodle, then queues it. */
export function createTransfer(request: CreateTransferRequest): Promise<CreatedTransfer> {
  return apiClient.post<CreatedTransfer>('/api/transfers', request);
}

export function useCreateTransfer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTransfer,
    // A Moodle connection found gone goes to the console's boundary, which asks to reconnect.
    throwOnError: isMoodleConnectionLost,
    onSuccess: (_created, request) => queryClient.invalidateQueries({ queryKey: transferKeys.list(request.courseId) }),
  });
}
