import type { EmulatorCourse } from '../platform-emulator.types';
import type { GeneratedContent } from './generated-content';

/** A file pluginfile.php serves: stored content, or a page's HTML (which core_course_get_contents lists with filesize 0). */
export interface ServedFile {
  contextid: number;
  component: string;
  filearea: string;
  /** null where Moodle's URL has none (a page's index.html). */
  itemid: number | null;
  /** '/' or '/sub/dir/' */
  filepath: string;
  filename: string;
  mimetype: string;
  timecreated: number;
  timemodified: number;
  sortorder: number;
  body: GeneratedContent | { html: string };
  isexternalfile: boolean;
  /** The repository type of an external (referenced) file. */
  repositorytype?: string;
}

export type ModuleEntry =
  | { type: 'file'; file: ServedFile; listedSize?: number }
  | { type: 'url'; name: string; externalurl: string; timemodified: number }
  | { type: 'content'; filename: string; content: string; timecreated: number; timemodified: number };

export type ModName = 'resource' | 'folder' | 'page' | 'url' | 'book';

export interface CourseModuleModel {
  id: number;
  name: string;
  instance: number;
  contextid: number;
  modname: ModName;
  entries: ModuleEntry[];
}

export interface CourseSectionModel {
  id: number;
  section: number;
  /** null: Moodle shows its default name ('General' for 0, 'New section' otherwise). */
  name: string | null;
  modules: CourseModuleModel[];
}

export interface CourseModel {
  course: EmulatorCourse;
  summary: string;
  contextid: number;
  startdate: number;
  timemodified: number;
  sections: CourseSectionModel[];
  /** Moodle user ids of the enrolled users. */
  enrolled: Set<string>;
  /** Where the LTI course's external tool activities are listed. */
  ltiSection: number;
}

/** Moodle's pluginfile path of a file: /contextid/component/filearea/itemid/filepath/filename, not encoded. */
export function pluginfilePath(file: ServedFile): string {
  const itemid = file.itemid === null ? '' : `/${file.itemid}`;
  return `/${file.contextid}/${file.component}/${file.filearea}${itemid}${file.filepath}${file.filename}`;
}

/** PHP's rawurlencode, segment by segment, as file_encode_url builds a fileurl. */
export function encodePluginfilePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

export function pluginfileUrl(siteUrl: string, file: ServedFile): string {
  return `${siteUrl}/webservice/pluginfile.php${encodePluginfilePath(pluginfilePath(file))}?forcedownload=1`;
}

/** Allocates ids the way Moodle's tables would, across every course of the site. */
export class SiteIds {
  private nextCmid = 100;
  private nextContextId = 100;
  private nextSectionId = 1;
  private readonly instances = new Map<string, number>();

  cmid(): number {
    return this.nextCmid++;
  }

  contextid(): number {
    return this.nextContextId++;
  }

  sectionId(): number {
    return this.nextSectionId++;
  }

  instance(modname: string): number {
    const next = (this.instances.get(modname) ?? 0) + 1;
    this.instances.set(modname, next);
    return next;
  }
}
