import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { describedBy, FieldErrorText, FormField } from '@/components/form-field';
import { formatBytes, formatCount } from '@/lib/format';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useLanguage, useT } from '@/lib/i18n/i18n';
import { isMoodleConnectionLost } from '@/lib/moodle-errors';
import { useFileSelection } from '@/stores/file-selection';
import { useCreateTransfer } from '../api/create-transfer';
import { transferErrorText } from '../transfer-errors';
import { errorsFromApi, initialTransferDraft, toCreateRequest, type TransferDraft, type TransferErrors } from '../transfer-request';
import { conflictPolicies, type ConflictPolicy } from '../types';

export const conflictNames: Record<ConflictPolicy, { label: PlainMessageKey; explanation: PlainMessageKey }> = {
  skip_identical: { label: 'transfers.conflict.skip_identical', explanation: 'transfers.conflict.skip_identical.explanation' },
  overwrite: { label: 'transfers.conflict.overwrite', explanation: 'transfers.conflict.overwrite.explanation' },
  rename: { label: 'transfers.conflict.rename', explanation: 'transfers.conflict.rename.explanation' },
  fail: { label: 'transfers.conflict.fail', explanation: 'transfers.conflict.fail.explanation' },
};

interface TransferRequestFormProps {
  courseId: number;
  /** The selected files that can be transferred, in course order, and their total size. */
  fileIds: readonly string[];
  bytes: number;
  onCreated: (transferId: string) => void;
}

/**
 * Sends the selection to Azure: where in the storage account, and what to do with a file of the
 * same name. A refusal is shown next to the field it is about, and the first one gets focus; once
 * the batch is queued, the selection is cleared.
 */
export function TransferRequestForm({ courseId, fileIds, bytes, onCreated }: TransferRequestFormProps) {
  const t = useT();
  const language = useLanguage();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;
  const formRef = useRef<HTMLFormElement>(null);
  const create = useCreateTransfer();
  const { clear } = useFileSelection();
  const [draft, setDraft] = useState<TransferDraft>(initialTransferDraft);
  const [errors, setErrors] = useState<TransferErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [failedAttempts, setFailedAttempts] = useState(0);
  // What was said about the selection is about that selection: picking files again clears it.
  const [judgedSelection, setJudgedSelection] = useState(fileIds);
  if (judgedSelection !== fileIds) {
    setJudgedSelection(fileIds);
    if (errors.fileIds) setErrors(({ fileIds: _said, ...others }) => others);
  }

  useEffect(() => {
    if (failedAttempts === 0) return;
    formRef.current?.querySelector<HTMLElement>('[data-summary], [data-selection-error], [aria-invalid="true"]')?.focus();
  }, [failedAttempts]);

  const update = <Key extends keyof TransferDraft>(key: Key, value: TransferDraft[Key]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    if (fileIds.length === 0) {
      setErrors({ fileIds: { key: 'transfers.form.error.noFiles' } });
      setFailedAttempts((count) => count + 1);
      return;
    }
    setErrors({});
    create.mutate(toCreateRequest(courseId, fileIds, draft), {
      onSuccess: (created) => {
        clear();
        onCreated(created.id);
      },
      onError: (error) => {
        if (isMoodleConnectionLost(error)) return;
        const fieldErrors = errorsFromApi(error);
        setErrors(fieldErrors ?? {});
        setFailure(fieldErrors ? null : transferErrorText(t, error));
        setFailedAttempts((count) => count + 1);
      },
    });
  };

  const conflictErrorId = errors.conflict ? id('conflict-error') : null;
  const selectionErrorId = errors.fileIds ? id('selection-error') : null;

  return (
    <form ref={formRef} className="form transfer-form" noValidate onSubmit={submit}>
      {failure && (
        <div className="notice notice--error" role="alert" tabIndex={-1} data-summary>
          <p>{t('transfers.form.failed', { message: failure })}</p>
        </div>
      )}

      <div
        className="transfer-form__selection"
        tabIndex={selectionErrorId ? -1 : undefined}
        data-selection-error={selectionErrorId ? '' : undefined}
      >
        <FieldErrorText id={id('selection-error')} error={errors.fileIds} />
        <p id={id('selection')} className="transfer-form__summary">
          {fileIds.length === 0
            ? t('transfers.form.selection.none')
            : t('transfers.form.selection', { count: formatCount(fileIds.length, language), size: formatBytes(bytes, language) })}
        </p>
      </div>

      <FormField id={id('container')} label={t('transfers.form.container')} hint={t('transfers.form.container.hint')} error={errors.container}>
        <input
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={draft.container}
          onChange={(event) => update('container', event.target.value)}
        />
      </FormField>

      <FormField id={id('prefix')} label={t('transfers.form.prefix')} hint={t('transfers.form.prefix.hint')} error={errors.prefix}>
        <input
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={draft.prefix}
          onChange={(event) => update('prefix', event.target.value)}
        />
      </FormField>

      <fieldset className="fieldset" aria-describedby={conflictErrorId ?? undefined}>
        <legend>{t('transfers.form.conflict')}</legend>
        <FieldErrorText id={id('conflict-error')} error={errors.conflict} />
        {conflictPolicies.map((policy) => (
          <div className="choice" key={policy}>
            <input
              type="radio"
              id={id(`conflict-${policy}`)}
              name={id('conflict')}
              value={policy}
              checked={draft.conflict === policy}
              onChange={() => update('conflict', policy)}
              aria-describedby={describedBy(id(`conflict-${policy}-explanation`), conflictErrorId)}
              aria-invalid={conflictErrorId ? true : undefined}
            />
            <label htmlFor={id(`conflict-${policy}`)}>{t(conflictNames[policy].label)}</label>
            <p id={id(`conflict-${policy}-explanation`)} className="field__hint choice__hint">
              {t(conflictNames[policy].explanation)}
            </p>
          </div>
        ))}
      </fieldset>

      <div className="form__actions">
        <button
          type="submit"
          className="button"
          disabled={create.isPending}
          aria-describedby={describedBy(selectionErrorId, id('selection'))}
        >
          {t('transfers.form.submit')}
        </button>
        <p role="status" className="muted">
          {create.isPending ? t('transfers.form.sending') : ''}
        </p>
      </div>
    </form>
  );
}
