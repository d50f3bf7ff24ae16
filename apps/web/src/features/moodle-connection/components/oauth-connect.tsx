import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { moodleConnectionQueryOptions } from '../api/get-moodle-connection';
import { moodleKeys } from '../api/moodle-keys';
import { useStartMoodleOauth } from '../api/start-moodle-oauth';
import { connectionErrorText } from '../connection-errors';
import type { OauthOutcomeMessage } from '../types';

export const oauthPopupName = 'ferry-moodle-oauth';
const oauthPopupFeatures = 'popup,width=520,height=680';
/** How often to ask whether the connection is there, for the new-tab path that has no opener to tell. */
export const connectionPollMs = 2000;

type Phase =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'waiting'; since: number; blockedUrl: string | null }
  | { kind: 'failed'; message: string };

function isOauthOutcome(data: unknown): data is OauthOutcomeMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'ferry:moodle-oauth';
}

/**
 * "Connect with Moodle": Moodle's sign-in and consent pages refuse to be framed, so they open in a
 * popup. The popup is opened blank inside the click (a browser blocks a window opened later, after
 * an await) and sent to the one-time URL once Ferry has made it. The result arrives as a message
 * from Ferry's callback page, or, when the popup was blocked and the admin used a new tab instead,
 * by asking for the connection every two seconds.
 */
export function OauthConnect({ onConnected }: { onConnected: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const start = useStartMoodleOauth();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const waiting = phase.kind === 'waiting';
  const since = waiting ? phase.since : 0;
  const finished = useRef(false);

  const poll = useQuery({ ...moodleConnectionQueryOptions(), refetchInterval: waiting ? connectionPollMs : false });

  const finish = async () => {
    if (finished.current) return;
    finished.current = true;
    setPhase({ kind: 'idle' });
    await queryClient.invalidateQueries({ queryKey: moodleKeys.connection() });
    onConnected();
  };

  useEffect(() => {
    if (!waiting) return;
    const onMessage = (event: MessageEvent) => {
      // Only Ferry's own callback page may say how it went; any other window's word is ignored.
      if (event.origin !== window.location.origin || !isOauthOutcome(event.data)) return;
      if (event.data.ok) void finish();
      else setPhase({ kind: 'failed', message: connectionErrorText(t, event.data.error) });
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  });

  const connection = poll.data;
  const connectedSinceWaiting = waiting && poll.dataUpdatedAt > since && connection?.connected && !connection.needsReconnect;
  useEffect(() => {
    if (connectedSinceWaiting) void finish();
  });

  const connect = () => {
    finished.current = false;
    const popup = window.open('about:blank', oauthPopupName, oauthPopupFeatures);
    setPhase({ kind: 'starting' });
    start.mutate(undefined, {
      onSuccess: ({ url }) => {
        const opened = popup !== null && !popup.closed;
        if (opened) popup.location.href = url;
        setPhase({ kind: 'waiting', since: Date.now(), blockedUrl: opened ? null : url });
      },
      onError: (error) => {
        popup?.close();
        setPhase({ kind: 'failed', message: connectionErrorText(t, error) });
      },
    });
  };

  return (
    <div className="connect-option">
      <button type="button" className="button" onClick={connect} disabled={phase.kind === 'starting'}>
        {t('connect.oauth.button')}
      </button>
      <div role="status" className="connect-option__status">
        {phase.kind === 'starting' && <p className="muted">{t('connect.oauth.starting')}</p>}
        {waiting && !phase.blockedUrl && <p>{t('connect.oauth.waiting')}</p>}
      </div>
      {waiting && phase.blockedUrl && (
        <div className="notice notice--warning">
          <p>{t('connect.oauth.blocked')}</p>
          <p>
            <a href={phase.blockedUrl} target="_blank">
              {t('connect.oauth.openInTab')}
            </a>
          </p>
          <p className="muted">{t('connect.oauth.blockedWaiting')}</p>
        </div>
      )}
      {waiting && (
        <button type="button" className="button button--secondary" onClick={() => setPhase({ kind: 'idle' })}>
          {t('connect.oauth.cancel')}
        </button>
      )}
      {phase.kind === 'failed' && (
        <p className="notice notice--error" role="alert">
          {phase.message}
        </p>
      )}
    </div>
  );
}
