import { useLocation } from 'wouter';
import { paths } from '@/config/paths';
import { MoodleSettingsPage } from '@/features/moodle-connection/components/moodle-settings-page';
import { AdminRoute } from './admin-route';

/** `/app/admin/moodle`: edit or reset the platform's Moodle setup, and this admin's connection. */
export function AdminMoodleRoute() {
  const [, navigate] = useLocation();
  return <AdminRoute>{() => <MoodleSettingsPage onReset={() => navigate(paths.home)} />}</AdminRoute>;
}
