import type { FieldError } from '@/components/form-field';
import { isApiError } from '@/lib/api-client';
import type { ConflictPolicy, CreateTransferRequest } from './types';

/** The request form's values, as typed. */
export interface TransferDraft {
  container: string;
  prefix: string;
  conflict: ConflictPolicy;
}

export type TransferField = 'fileIds' | keyof TransferDraft;
export type TransferErrors = Partial<Record<TransferField, FieldError>>;

export const initialTransferDraft: TransferDraft = { container: '', prefix: '', conflict: 'skip_identical' };

/** A blank container or prefix is left out, so Ferry's default container and no prefix apply. */
export function toCreateRequest(courseId: number, fileIds: readonly string[], draft: TransferDraft): CreateTransferRequest {
  const request: CreateTransferRequest = { courseId, fileIds: [...fileIds], conflict: draft.conflict };
  const container = draft.container.trim();
  const prefix = draft.prefix.trim();
  if (container) request.container = container;
  if (prefix) request.prefix = prefix;
  return request;
}

/** The request's fields → the form's: the course and its file ids are the selection. */
const fieldOf: Record<string, TransferField> = {
  courseId: 'fileIds',
  fileIds: 'fileIds',
  container: 'container',
  prefix: 'prefix',
  conflict: 'conflict',
};

/**
 * Where a refused request goes in the form: a 400's per-field messages next to their fields, a
 * container Ferry may not use next to the container. Null when no field is to blame.
 */
export function errorsFromApi(error: unknown): TransferErrors | null {
  if (!isApiError(error)) return null;
  if (error.code === 'container_not_allowed') return { container: { key: 'transfers.form.error.containerNotAllowed' } };
  const details = (error.details ?? {}) as { fields?: Record<string, string[]> };
  if (error.code !== 'validation_failed' || !details.fields) return null;
  const messages = new Map<TransferField, string[]>();
  for (const [path, texts] of Object.entries(details.fields)) {
    const field = fieldOf[path.split('.')[0]];
    if (field) messages.set(field, [...(messages.get(field) ?? []), ...texts]);
  }
  if (messages.size === 0) return null;
  return Object.fromEntries([...messages].map(([field, texts]) => [field, { text: texts.join(' ') }]));
}
