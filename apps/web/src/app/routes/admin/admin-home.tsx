import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { AdminLayout } from '@/components/layout/admin-layout';
import { SectionBoundary } from '@/components/section-boundary';
import { courseFilesKeys } from '@/features/course-files/api/course-files-keys';
import { useCourseFiles } from '@/features/course-files/api/get-course-files';
import { TransferConsole } from '@/features/course-files/components/transfer-console';
import type { Course } from '@/features/course-files/types';
import { useMoodleConnection, useRefreshMoodleConnection } from '@/features/moodle-connection/api/get-moodle-connection';
import { ConnectMoodle } from '@/features/moodle-connection/components/connect-moodle';
import { MissingFunctionsWarning } from '@/features/moodle-connection/components/missing-functions-warning';
import { PlatformSetup } from '@/features/moodle-connection/components/platform-setup';
import { CourseTransfers } from '@/features/transfers/components/course-transfers';
import { FileSelectionProvider, useFileSelection } from '@/stores/file-selection';
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
        <TransferConsole launchCourse={launchCourse(session)}>{(courseId) => <SelectionTransfers courseId={courseId} />}</TransferConsole>
      </SectionBoundary>
    </>
  );
}

/**
 * The transfer feature under the course's files: it gets the selection as the files that can be
 * transferred, in course order, with their size; once a transfer finishes, the file list is read
 * again so it shows what is now in Azure.
 */
function SelectionTransfers({ courseId }: { courseId: number }) {
  const queryClient = useQueryClient();
  const { files } = useCourseFiles(courseId);
  const selection = useFileSelection();
  const selectedIds = selection.courseId === courseId ? selection.fileIds : null;
  const selected = useMemo(() => {
    const chosen = selectedIds ? files.filter((file) => file.transferable && selectedIds.has(file.id)) : [];
    return { fileIds: chosen.map((file) => file.id), bytes: chosen.reduce((sum, file) => sum + file.size, 0) };
  }, [files, selectedIds]);
  const onTransferFinished = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: courseFilesKeys.files(courseId) }),
    [queryClient, courseId],
  );
  return <CourseTransfers courseId={courseId} fileIds={selected.fileIds} bytes={selected.bytes} onTransferFinished={onTransferFinished} />;
}

/** Moodle's LTI context id is the course id. */
function launchCourse({ context }: SessionView): Course | null {
  if (!context || !/^\d+$/.test(context.id)) return null;
  return { id: Number(context.id), shortname: context.label ?? '', fullname: context.title ?? context.label ?? context.id };
}
