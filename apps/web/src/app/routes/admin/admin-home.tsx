import { useCallback, useState } from 'react';
import { AdminLayout } from '@/components/layout/admin-layout';
import { SectionBoundary } from '@/components/section-boundary';
import { TransferConsole } from '@/features/course-files/components/transfer-console';
import type { Course } from '@/features/course-files/types';
import { useMoodleConnection, useRefreshMoodleConnection } from '@/features/moodle-connection/api/get-moodle-connection';
import { ConnectMoodle } from '@/features/moodle-connection/components/connect-moodle';
import { MissingFunctionsWarning } from '@/features/moodle-connection/components/missing-functions-warning';
import { PlatformSetup } from '@/features/moodle-connection/components/platform-setup';
import { FileSelectionProvider } from '@/stores/file-selection';
import type { SessionView } from '@/types/api';

/**
 * An admin's home leads to the course files through what they need first: the platform's
 * Moodle setup when there is none, then their own connection, then the transfer console.
 */
export function AdminHome({ session }: { session: SessionView }) {
  return (
    <AdminLayout session={session}>
      {/* Above the gate, so a selection survives a reconnect. */}
      <FileSelectionProvider>
        <SectionBoundary>
          <ConnectionGate session={session} />
        </SectionBoundary>
      </FileSelectionProvider>
    </AdminLayout>
  );
}

function ConnectionGate({ session }: { session: SessionView }) {
  const connection = useMoodleConnection();
  const refreshConnection = useRefreshMoodleConnection();
  // A call that found the connection gone wins over a cached "connected" until the admin reconnects.
  const [lost, setLost] = useState(false);
  const onConnectionLost = useCallback(() => {
    setLost(true);
    void refreshConnection();
  }, [refreshConnection]);
  const onConnected = useCallback(() => setLost(false), []);

  if (!connection.configured) return <PlatformSetup />;
  if (lost || !connection.connected || connection.needsReconnect) {
    return <ConnectMoodle connection={connection} expired={lost || connection.needsReconnect} onConnected={onConnected} />;
  }
  return (
    <>
      <MissingFunctionsWarning connection={connection} />
      <SectionBoundary onConnectionLost={onConnectionLost}>
        <TransferConsole launchCourse={launchCourse(session)} />
      </SectionBoundary>
    </>
  );
}

/** Moodle's LTI context id is the course id. */
function launchCourse({ context }: SessionView): Course | null {
  if (!context || !/^\d+$/.test(context.id)) return null;
  return { id: Number(context.id), shortname: context.label ?? '', fullname: context.title ?? context.label ?? context.id };
}
