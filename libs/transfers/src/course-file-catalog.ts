/**
 * What a transfer needs from the course file listing (`CourseFilesService.listFiles` of
 * @ferry/course-files): the course, and each file with its internal `fileurl` and `timemodified`.
 */
export interface CatalogFile {
  id: string;
  section: string;
  module: { id: number; name: string; modname: string };
  path: string;
  name: string;
  size: number;
  mimetype: string | null;
  transferable: boolean;
  reason?: string;
  fileurl: string;
  timemodified: number;
}

export interface CatalogListing {
  course: { id: number; shortname: string; fullname: string };
  files: CatalogFile[];
}

export interface CourseFileCatalog {
  listFiles(owner: { platformId: string; userId: string }, courseId: number): Promise<CatalogListing>;
}

export const COURSE_FILE_CATALOG = Symbol('COURSE_FILE_CATALOG');
