import { AdminOverview } from '@/features/home/components/admin-overview';
import { AdminRoute } from './admin-route';

/** `/app/admin/overview`: who launched, from where. */
export function AdminOverviewRoute() {
  return <AdminRoute>{(session) => <AdminOverview session={session} />}</AdminRoute>;
}
