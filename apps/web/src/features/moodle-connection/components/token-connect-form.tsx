import { useId, useRef, useState, type FormEvent } from 'react';
import { FormField, type FieldError } from '@/components/form-field';
import { useT } from '@/lib/i18n/i18n';
import { useConnectWithToken } from '../api/connect-with-token';
import { connectionErrorText } from '../connection-errors';

/** Paste a personal web service token made in Moodle; Ferry checks whose it is before keeping it. */
export function TokenConnectForm({ onConnected }: { onConnected: () => void }) {
  const t = useT();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const connect = useConnectWithToken();
  const [token, setToken] = useState('');
  const [error, setError] = useState<FieldError | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const pasted = token.trim();
    if (!pasted) {
      setError({ key: 'setup.error.required' });
      inputRef.current?.focus();
      return;
    }
    setError(undefined);
    connect.mutate(pasted, {
      onSuccess: () => {
        setToken('');
        onConnected();
      },
      onError: (failure) => {
        setError({ text: connectionErrorText(t, failure) });
        inputRef.current?.focus();
      },
    });
  };

  return (
    <form className="form" noValidate onSubmit={submit}>
      <FormField id={`${id}-token`} label={t('connect.token.label')} hint={t('connect.token.hint')} error={error}>
        <input
          ref={inputRef}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
      </FormField>
      <div className="form__actions">
        <button type="submit" className="button" disabled={connect.isPending}>
          {t('connect.token.submit')}
        </button>
        <p role="status" className="muted">
          {connect.isPending ? t('connect.checking') : ''}
        </p>
      </div>
    </form>
  );
}
