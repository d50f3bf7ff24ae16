/** Shapes of the course files API (CONTRACT.md and the course-files lib's HTTP interface). */

export interface Course {
  id: number;
  shortname: string;
  fullname: string;
}

export type NotTransferableReason = 'external_file' | 'url' | 'inline_content';

export interface CourseFile {
  /** Stable for the same Moodle file. */
  id: string;
  /** The section's name as Moodle shows it. */
  section: string;
  sectionId?: number;
  sectionNumber?: number;
  module: { id: number; name: string; modname: string };
  /** The folder path inside the module, `/` at the top. */
  path: string;
  name: string;
  size: number;
  mimetype: string | null;
  modifiedAt: string | null;
  transferable: boolean;
  reason?: NotTransferableReason;
  transferred?: { transferId: string; blobName: string; sha256: string };
}

export interface CourseFiles {
  course: Course;
  files: CourseFile[];
  /** Over the transferable files. */
  totals: { count: number; bytes: number };
}
