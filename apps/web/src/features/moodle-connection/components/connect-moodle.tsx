import { useId } from 'react';
import { useT } from '@/lib/i18n/i18n';
import type { MoodleConnection } from '../types';
import { CredentialsConnectForm } from './credentials-connect-form';
import { OauthConnect } from './oauth-connect';
import { TokenConnectForm } from './token-connect-form';

interface ConnectMoodleProps {
  connection: MoodleConnection;
  /** The connection worked before and stopped: say so, rather than greet a first-time admin. */
  expired: boolean;
  onConnected: () => void;
}

/** Every way this platform lets an admin connect their own Moodle account, the configured one first. */
export function ConnectMoodle({ connection, expired, onConnected }: ConnectMoodleProps) {
  const t = useT();
  const headingId = useId();
  const tokenHeadingId = useId();
  const credentialsHeadingId = useId();
  const allows = (method: MoodleConnection['methods'][number]) => connection.methods.includes(method);

  return (
    <section aria-labelledby={headingId} className="connect">
      <h2 id={headingId}>{t('connect.heading')}</h2>
      {expired ? (
        <p className="notice notice--warning" role="alert">
          {t('connect.expired')}
        </p>
      ) : (
        <p>{t('connect.intro', { site: connection.moodleUrl ?? '' })}</p>
      )}

      {allows('oauth') && (
        <>
          <p>{t('connect.oauth.intro')}</p>
          <OauthConnect onConnected={onConnected} />
        </>
      )}

      {allows('credentials') && (
        <section aria-labelledby={credentialsHeadingId}>
          <h3 id={credentialsHeadingId}>{t('connect.credentials.heading')}</h3>
          <p className="muted">{t('connect.credentials.intro')}</p>
          <CredentialsConnectForm onConnected={onConnected} />
        </section>
      )}

      <section aria-labelledby={tokenHeadingId}>
        <h3 id={tokenHeadingId}>{t('connect.token.heading')}</h3>
        <p className="muted">{t('connect.token.intro')}</p>
        <TokenConnectForm onConnected={onConnected} />
      </section>
    </section>
  );
}
