import { useT } from '@/lib/i18n/i18n';
import type { MoodleConnection } from '../types';

/** The web service functions Ferry needs that the token's service lacks, by name. */
export function MissingFunctionsWarning({ connection }: { connection: MoodleConnection }) {
  const t = useT();
  if (!connection.connected || connection.missingFunctions.length === 0) return null;
  return (
    <div className="notice notice--warning" role="status">
      <p>{t('connect.missingFunctions')}</p>
      <ul>
        {connection.missingFunctions.map((name) => (
          <li key={name}>
            <code>{name}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
