import type { CourseFile, NotTransferableReason } from '../course-contents';

export interface CourseResponse {
  id: number;
  shortname: string;
  fullname: string;
}

export interface TransferredFile {
  transferId: string;
  blobName: string;
  sha256: string;
}

/** One entry of GET /api/courses/:courseId/files (CONTRACT.md); Moodle's file URL stays on the server. */
export interface CourseFileResponse {
  id: string;
  section: string;
  sectionId: number;
  sectionNumber: number;
  module: { id: number; name: string; modname: string };
  path: string;
  name: string;
  size: number;
  mimetype: string | null;
  modifiedAt: string | null;
  transferable: boolean;
  reason?: NotTransferableReason;
  transferred?: TransferredFile;
}

export interface CourseFilesResponse {
  course: CourseResponse;
  files: CourseFileResponse[];
  /** Over the files that can be transferred. */
  totals: { count: number; bytes: number };
}

export function toCourseFileResponse(file: CourseFile, transferred: TransferredFile | undefined): CourseFileResponse {
  return {
    id: file.id,
    section: file.section,
    sectionId: file.sectionId,
    sectionNumber: file.sectionNumber,
    module: file.module,
    path: file.path,
    name: file.name,
    size: file.size,
    mimetype: file.mimetype,
    modifiedAt: file.timemodified ? new Date(file.timemodified * 1000).toISOString() : null,
    transferable: file.transferable,
    ...(file.reason ? { reason: file.reason } : {}),
    ...(transferred ? { transferred } : {}),
  };
}
