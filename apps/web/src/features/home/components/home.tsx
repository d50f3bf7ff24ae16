import type { SessionView } from '@/types/api';
import { primaryRole } from '../primary-role';
import { AdminConsole } from './admin-console';
import { InstructorHome } from './instructor-home';
import { LearnerHome } from './learner-home';

export function Home({ session }: { session: SessionView }) {
  switch (primaryRole(session.user.roles)) {
    case 'admin':
      return <AdminConsole session={session} />;
    case 'instructor':
      return <InstructorHome session={session} />;
    case 'learner':
      return <LearnerHome session={session} />;
  }
}
