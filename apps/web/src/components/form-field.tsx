import type { ReactElement, ReactNode } from 'react';
import { cloneElement } from 'react';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';

/** A field's error: a message of ours, or the server's own words (a 400's per-field messages). */
export type FieldError = { key: PlainMessageKey } | { text: string };

/** The element ids a control is described by, skipping the ones that are not shown. */
export function describedBy(...ids: Array<string | false | null | undefined>): string | undefined {
  const shown = ids.filter(Boolean);
  return shown.length ? shown.join(' ') : undefined;
}

export function FieldErrorText({ id, error }: { id: string; error: FieldError | undefined }) {
  const t = useT();
  if (!error) return null;
  return (
    <p id={id} className="field__error">
      {'key' in error ? t(error.key) : error.text}
    </p>
  );
}

interface FormFieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: FieldError;
  /** An error of the group the field belongs to (say, the OAuth client), shown above the group. */
  groupErrorId?: string | null;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
}

/** A label tied to its control, an optional hint, and an error the control is described by. */
export function FormField({ id, label, hint, error, groupErrorId, children }: FormFieldProps) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint && (
        <p id={hintId!} className="field__hint">
          {hint}
        </p>
      )}
      <FieldErrorText id={`${id}-error`} error={error} />
      {cloneElement(children, {
        id,
        'aria-describedby': describedBy(errorId, groupErrorId, hintId),
        'aria-invalid': Boolean(error || groupErrorId) || undefined,
      })}
    </div>
  );
}
