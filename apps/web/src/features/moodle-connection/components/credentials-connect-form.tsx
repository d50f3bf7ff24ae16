import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { FormField, type FieldError } from '@/components/form-field';
import { useT } from '@/lib/i18n/i18n';
import { connectWithCredentials } from '../api/connect-with-credentials';
import { moodleKeys } from '../api/moodle-keys';
import { connectionErrorText } from '../connection-errors';

/**
 * Sign in once with Moodle's username and password; Ferry trades them for a token. The inputs are
 * uncontrolled and the password field is emptied as the request leaves, so the password is never
 * held in React state and is gone from the page whatever the answer.
 */
export function CredentialsConnectForm({ onConnected }: { onConnected: () => void }) {
  const t = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<{ username?: FieldError; password?: FieldError; form?: string }>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const username = usernameRef.current!.value.trim();
    const password = passwordRef.current!.value;
    const missing = {
      username: username ? undefined : ({ key: 'setup.error.required' } as const),
      password: password ? undefined : ({ key: 'setup.error.required' } as const),
    };
    if (missing.username || missing.password) {
      setErrors(missing);
      (missing.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    passwordRef.current!.value = '';
    setErrors({});
    setPending(true);
    try {
      const connection = await connectWithCredentials({ username, password });
      queryClient.setQueryData(moodleKeys.connection(), connection);
      await queryClient.invalidateQueries({ queryKey: moodleKeys.connection() });
      onConnected();
    } catch (failure) {
      setErrors({ form: connectionErrorText(t, failure) });
      passwordRef.current?.focus();
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="form" noValidate onSubmit={submit}>
      {errors.form && (
        <p className="notice notice--error" role="alert">
          {errors.form}
        </p>
      )}
      <FormField id={`${id}-username`} label={t('connect.credentials.username')} error={errors.username}>
        <input ref={usernameRef} type="text" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} />
      </FormField>
      <FormField id={`${id}-password`} label={t('connect.credentials.password')} error={errors.password}>
        <input ref={passwordRef} type="password" name="password" autoComplete="current-password" />
      </FormField>
      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {t('connect.credentials.submit')}
        </button>
        <p role="status" className="muted">
          {pending ? t('connect.checking') : ''}
        </p>
      </div>
    </form>
  );
}
