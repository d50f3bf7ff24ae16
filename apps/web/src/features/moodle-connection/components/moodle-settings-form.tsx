import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { FieldErrorText, FormField } from '@/components/form-field';
import { isApiError } from '@/lib/api-client';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';
import { useSaveMoodleSettings } from '../api/save-moodle-settings';
import {
  errorsFromApi,
  initialDraft,
  toSaveRequest,
  validateDraft,
  withProvider,
  type SettingsDraft,
  type SettingsErrors,
} from '../settings-draft';
import type { ConnectionMethod, MoodleSettings, OauthProvider } from '../types';

const methods: Array<{ method: ConnectionMethod; label: PlainMessageKey; explanation: PlainMessageKey }> = [
  { method: 'oauth', label: 'setup.method.oauth', explanation: 'setup.method.oauth.explanation' },
  { method: 'wstoken', label: 'setup.method.wstoken', explanation: 'setup.method.wstoken.explanation' },
  { method: 'credentials', label: 'setup.method.credentials', explanation: 'setup.method.credentials.explanation' },
];

const providers: Array<{ provider: OauthProvider; label: PlainMessageKey }> = [
  { provider: 'local_oauthmcp', label: 'setup.provider.local_oauthmcp' },
  { provider: 'local_oauth2', label: 'setup.provider.local_oauth2' },
  { provider: 'custom', label: 'setup.provider.custom' },
];

interface MoodleSettingsFormProps {
  settings: MoodleSettings;
  onSaved?: (saved: MoodleSettings) => void;
}

/**
 * Moodle's address and how admins connect to it. Saving makes Ferry check the settings live with
 * Moodle; a refusal is shown next to the part that failed, and the first field in error gets focus.
 */
export function MoodleSettingsForm({ settings, onSaved }: MoodleSettingsFormProps) {
  const t = useT();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;
  const formRef = useRef<HTMLFormElement>(null);
  const save = useSaveMoodleSettings();
  const [draft, setDraft] = useState<SettingsDraft>(() => initialDraft(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const [saved, setSaved] = useState(false);
  const secretStored = Boolean(settings.oauth?.clientSecretSet);

  useEffect(() => {
    if (failedAttempts === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? formRef.current?.querySelector<HTMLElement>('[data-summary]'))?.focus();
  }, [failedAttempts]);

  const update = <Key extends keyof SettingsDraft>(key: Key, value: SettingsDraft[Key]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setSaved(false);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSummary(null);
    setSaved(false);
    const found = validateDraft(draft, secretStored);
    setErrors(found);
    if (Object.keys(found).length) {
      setFailedAttempts((count) => count + 1);
      return;
    }
    save.mutate(toSaveRequest(draft), {
      onSuccess: (result) => {
        setDraft((current) => ({ ...current, clientSecret: '' }));
        setSaved(true);
        onSaved?.(result);
      },
      onError: (error) => {
        setErrors(errorsFromApi(error) ?? {});
        setSummary(isApiError(error) ? error.message : t('error.body'));
        setFailedAttempts((count) => count + 1);
      },
    });
  };

  const groupErrorId = (group: 'endpoints' | 'client') => (errors[group] ? id(`${group}-error`) : null);

  return (
    <form ref={formRef} className="form" noValidate onSubmit={submit}>
      {summary && (
        <div className="notice notice--error" role="alert" tabIndex={-1} data-summary>
          <p>{t('setup.notSaved', { message: summary })}</p>
        </div>
      )}

      <FormField id={id('moodleUrl')} label={t('setup.moodleUrl')} hint={t('setup.moodleUrl.hint')} error={errors.moodleUrl}>
        <input
          type="url"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          required
          value={draft.moodleUrl}
          onChange={(event) => update('moodleUrl', event.target.value)}
        />
      </FormField>

      <fieldset className="fieldset">
        <legend>{t('setup.method')}</legend>
        {methods.map(({ method, label, explanation }) => (
          <div className="choice" key={method}>
            <input
              type="radio"
              id={id(`method-${method}`)}
              name={id('method')}
              value={method}
              checked={draft.method === method}
              onChange={() => update('method', method)}
              aria-describedby={id(`method-${method}-explanation`)}
            />
            <label htmlFor={id(`method-${method}`)}>{t(label)}</label>
            <p id={id(`method-${method}-explanation`)} className="field__hint choice__hint">
              {t(explanation)}
            </p>
          </div>
        ))}
      </fieldset>

      {draft.method === 'oauth' && (
        <>
          <FormField id={id('provider')} label={t('setup.provider')} hint={t('setup.provider.hint')} error={errors.provider}>
            <select
              value={draft.provider}
              onChange={(event) => {
                setDraft((current) => withProvider(current, event.target.value as OauthProvider, settings));
                setSaved(false);
              }}
            >
              {providers.map(({ provider, label }) => (
                <option key={provider} value={provider}>
                  {t(label)}
                </option>
              ))}
            </select>
          </FormField>

          <fieldset className="fieldset" aria-describedby={groupErrorId('endpoints') ?? undefined}>
            <legend>{t('setup.endpoints')}</legend>
            <FieldErrorText id={id('endpoints-error')} error={errors.endpoints} />
            {(['authorizeUrl', 'tokenUrl', 'revokeUrl'] as const).map((field) => (
              <FormField
                key={field}
                id={id(field)}
                label={t(`setup.${field}`)}
                error={errors[field]}
                groupErrorId={groupErrorId('endpoints')}
              >
                <input
                  type="url"
                  inputMode="url"
                  spellCheck={false}
                  value={draft[field]}
                  onChange={(event) => update(field, event.target.value)}
                />
              </FormField>
            ))}
            <FormField id={id('scope')} label={t('setup.scope')} error={errors.scope} groupErrorId={groupErrorId('endpoints')}>
              <input type="text" spellCheck={false} value={draft.scope} onChange={(event) => update('scope', event.target.value)} />
            </FormField>
          </fieldset>

          <fieldset className="fieldset" aria-describedby={groupErrorId('client') ?? undefined}>
            <legend>{t('setup.client')}</legend>
            <p className="field__hint">
              {t('setup.client.redirectUri', { uri: `${window.location.origin}/api/moodle-oauth/callback` })}
            </p>
            <FieldErrorText id={id('client-error')} error={errors.client} />
            <FormField id={id('clientId')} label={t('setup.clientId')} error={errors.clientId} groupErrorId={groupErrorId('client')}>
              <input
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={draft.clientId}
                onChange={(event) => update('clientId', event.target.value)}
              />
            </FormField>
            <FormField
              id={id('clientSecret')}
              label={t('setup.clientSecret')}
              hint={secretStored ? t('setup.clientSecret.stored') : undefined}
              error={errors.clientSecret}
              groupErrorId={groupErrorId('client')}
            >
              <input
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                value={draft.clientSecret}
                onChange={(event) => update('clientSecret', event.target.value)}
              />
            </FormField>
          </fieldset>
        </>
      )}

      {draft.method === 'credentials' && (
        <FormField id={id('service')} label={t('setup.service')} hint={t('setup.service.hint')} error={errors.service}>
          <input type="text" spellCheck={false} value={draft.service} onChange={(event) => update('service', event.target.value)} />
        </FormField>
      )}

      <div className="form__actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {t('setup.save')}
        </button>
        <p role="status" className="muted">
          {save.isPending ? t('setup.checking') : saved ? t('setup.saved') : ''}
        </p>
      </div>
    </form>
  );
}
