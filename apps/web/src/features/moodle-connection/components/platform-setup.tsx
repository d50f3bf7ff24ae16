import { useId } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { useMoodleSettings } from '../api/get-moodle-settings';
import { MoodleSettingsForm } from './moodle-settings-form';

/** The first admin launch from a platform Ferry has no Moodle settings for. */
export function PlatformSetup() {
  const t = useT();
  const headingId = useId();
  const settings = useMoodleSettings();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('setup.heading')}</h2>
      <p>{t('setup.intro')}</p>
      <MoodleSettingsForm settings={settings} />
    </section>
  );
}
