import { useEffect, useId, useRef, useState } from 'react';
import { isApiError } from '@/lib/api-client';
import { useT } from '@/lib/i18n/i18n';
import { useDisconnectMoodle } from '../api/disconnect-moodle';
import { useMoodleConnection } from '../api/get-moodle-connection';
import { useMoodleSettings } from '../api/get-moodle-settings';
import { useResetMoodleSettings } from '../api/reset-moodle-settings';
import { MissingFunctionsWarning } from './missing-functions-warning';
import { MoodleSettingsForm } from './moodle-settings-form';

/** The admin console's Moodle page: this admin's connection, the platform's setup, and a reset. */
export function MoodleSettingsPage({ onReset }: { onReset: () => void }) {
  const t = useT();
  const connectionHeading = useId();
  const setupHeading = useId();
  const settings = useMoodleSettings();

  return (
    <>
      <section aria-labelledby={connectionHeading}>
        <h2 id={connectionHeading}>{t('settings.connection.heading')}</h2>
        <ConnectionStatus />
      </section>
      <section aria-labelledby={setupHeading}>
        <h2 id={setupHeading}>{t('setup.heading')}</h2>
        {!settings.configured && <p>{t('setup.intro')}</p>}
        <MoodleSettingsForm key={settings.configured ? 'edit' : 'create'} settings={settings} />
      </section>
      {settings.configured && <ResetSettings onReset={onReset} />}
    </>
  );
}

function ConnectionStatus() {
  const t = useT();
  const connection = useMoodleConnection();
  const disconnect = useDisconnectMoodle();
  const { moodleUser } = connection;

  if (!connection.configured) return <p>{t('settings.connection.notConfigured')}</p>;
  if (!connection.connected || !moodleUser) return <p>{t('settings.connection.notConnected')}</p>;
  return (
    <>
      <p>{t('settings.connection.connectedAs', { name: moodleUser.fullname, username: moodleUser.username })}</p>
      {connection.needsReconnect && <p className="notice notice--warning">{t('connect.expired')}</p>}
      <MissingFunctionsWarning connection={connection} />
      <button type="button" className="button button--secondary" disabled={disconnect.isPending} onClick={() => disconnect.mutate()}>
        {t('settings.disconnect')}
      </button>
      {disconnect.isError && (
        <p className="notice notice--error" role="alert">
          {isApiError(disconnect.error) ? disconnect.error.message : t('error.body')}
        </p>
      )}
    </>
  );
}

function ResetSettings({ onReset }: { onReset: () => void }) {
  const t = useT();
  const headingId = useId();
  const reset = useResetMoodleSettings();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    requestAnimationFrame(() => startRef.current?.focus());
  };

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('settings.reset.heading')}</h2>
      <p>{t('settings.reset.explanation')}</p>
      {confirming ? (
        <div className="notice notice--warning" role="group" aria-label={t('settings.reset.confirmLabel')}>
          <p>{t('settings.reset.confirm')}</p>
          <div className="form__actions">
            <button
              ref={confirmRef}
              type="button"
              className="button button--danger"
              disabled={reset.isPending}
              onClick={() => reset.mutate(undefined, { onSuccess: onReset })}
            >
              {t('settings.reset.yes')}
            </button>
            <button type="button" className="button button--secondary" onClick={cancel}>
              {t('settings.reset.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button ref={startRef} type="button" className="button button--danger" onClick={() => setConfirming(true)}>
          {t('settings.reset.start')}
        </button>
      )}
      {reset.isError && (
        <p className="notice notice--error" role="alert">
          {isApiError(reset.error) ? reset.error.message : t('error.body')}
        </p>
      )}
    </section>
  );
}
