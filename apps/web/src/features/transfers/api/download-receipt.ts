import { useMutation } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { saveBlob } from '@/lib/download';
import type { ReceiptFormat } from '../types';

const receiptTypes: Record<ReceiptFormat, string> = { csv: 'text/csv', json: 'application/json' };

/** `GET /api/transfers/:id/receipt.csv` or `.json`: every file, where it went, and its checksums. */
export async function getReceipt(transferId: string, format: ReceiptFormat): Promise<{ blob: Blob; filename: string }> {
  const response = await apiClient.getResponse(`/api/transfers/${encodeURIComponent(transferId)}/receipt.${format}`, {
    accept: receiptTypes[format],
  });
  // The api names it the same way in its Content-Disposition, for a download outside the SPA.
  return { blob: await response.blob(), filename: `ferry-receipt-${transferId}.${format}` };
}

/** Fetches the receipt with the bearer token and saves it; nothing cached changes. */
export function useDownloadReceipt(transferId: string) {
  return useMutation({
    mutationFn: async (format: ReceiptFormat) => {
      const { blob, filename } = await getReceipt(transferId, format);
      saveBlob(blob, filename);
    },
  });
}
