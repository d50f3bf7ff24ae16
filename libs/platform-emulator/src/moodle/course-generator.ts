import type { EmulatorCourse } from '../platform-emulator.types';
import { SiteIds, type CourseModel, type CourseModuleModel, type CourseSectionModel, type ModName, type ServedFile } from './course-model';
import { GeneratedContent } from './generated-content';
import type { GeneratedCourseSpec } from './moodle.types';

/** The captured site's timestamps: content does not change with the clock. */
const BASE_TIME = 1795351177;
const DAY = 86_400;
const DEFAULT_FILE_SIZE = { min: 1024, max: 512 * 1024 };

export const MIMETYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  zip: 'application/zip',
  mp4: 'video/mp4',
  bin: 'application/octet-stream',
};

const KINDS = ['lecture', 'slides', 'reading', 'exercise', 'dataset', 'notes', 'handout', 'solutions'];
const EXTENSIONS = ['pdf', 'pdf', 'pptx', 'docx', 'txt', 'xlsx', 'png', 'zip', 'csv', 'mp4'];
const UNICODE_NAMES = ['Café — résumé (v2).pdf', '講義ノート.txt', 'Übung 3 – Lösungen.docx', 'Σημειώσεις μαθήματος.pdf', 'Résumé du cours №1.pptx'];
const FOLDER_PATHS = ['/', '/slides/', '/sub/dir/', '/readings/week notes/'];

export function mimetypeOf(filename: string): string {
  const extension = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return MIMETYPES[extension] ?? 'application/octet-stream';
}

/** mulberry32: a small deterministic PRNG, so a seed always gives the same course. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface NewFile {
  filename: string;
  filepath?: string;
  size: number;
  timemodified: number;
  sortorder?: number;
  external?: string;
}

/** Builds courses whose ids never collide across the site. */
export class CourseGenerator {
  constructor(private readonly ids: SiteIds) {}

  /** A course described by a spec: `sections` × `filesPerSection` files (plus extras), deterministic from the seed. */
  generate(course: EmulatorCourse, spec: GeneratedCourseSpec, enrolled: Iterable<string>): CourseModel {
    const seed = spec.seed ?? 1;
    const random = prng(seed * 7919 + course.id);
    const sizeOf = (): number => {
      const size = spec.fileSize ?? DEFAULT_FILE_SIZE;
      return typeof size === 'number' ? size : size.min + Math.floor(random() * (size.max - size.min + 1));
    };
    const contentSeed = `${seed}:${course.id}`;
    const model = this.emptyCourse(course, 0, enrolled);
    let unicodeIndex = 0;
    const nameFor = (sectionNumber: number, index: number): string => {
      if (spec.unicodeNames && index % 4 === 0) {
        const name = UNICODE_NAMES[unicodeIndex % UNICODE_NAMES.length];
        const round = Math.floor(unicodeIndex++ / UNICODE_NAMES.length);
        return round === 0 ? name : name.replace(/(\.[^.]+)$/, ` (${round + 1})$1`);
      }
      const kind = KINDS[Math.floor(random() * KINDS.length)];
      const extension = EXTENSIONS[Math.floor(random() * EXTENSIONS.length)];
      return `w${sectionNumber}-${kind}-${index + 1}.${extension}`;
    };

    const general = model.sections[0];
    if (spec.extras) this.addExtras(general, contentSeed);

    for (let number = 1; number <= spec.sections; number++) {
      const section = this.section(number, `Week ${number}`);
      model.sections.push(section);
      const inFolder = spec.folders ? Math.floor(spec.filesPerSection / 2) : 0;
      const alone = spec.filesPerSection - inFolder;
      for (let index = 0; index < alone; index++) {
        const filename = nameFor(number, index);
        section.modules.push(
          this.resource(contentSeed, filename.replace(/\.[^.]+$/, ''), {
            filename,
            size: sizeOf(),
            timemodified: BASE_TIME - Math.floor(random() * 120) * DAY,
          }),
        );
      }
      if (inFolder > 0) {
        const used = new Set<string>();
        const files: NewFile[] = [];
        for (let index = alone; index < spec.filesPerSection; index++) {
          const filepath = FOLDER_PATHS[index % FOLDER_PATHS.length];
          let filename = nameFor(number, index);
          while (used.has(filepath + filename)) filename = `${index}-${filename}`;
          used.add(filepath + filename);
          files.push({ filename, filepath, size: sizeOf(), timemodified: BASE_TIME - Math.floor(random() * 120) * DAY });
        }
        section.modules.push(this.folder(contentSeed, `Week ${number} materials`, files));
      }
    }
    return model;
  }

  /**
   * Transfer 101 without a spec: what `npm run dev` shows. A PDF, a folder with nested paths and a
   * unicode name, a page, a url module, an external (Dropbox) file, and the LTI activity in section 2.
   */
  defaultCourse(course: EmulatorCourse, enrolled: Iterable<string>): CourseModel {
    const seed = `default:${course.id}`;
    const model = this.emptyCourse(course, 2, enrolled);
    const week1 = this.section(1, 'Week 1: Getting started');
    week1.modules.push(
      this.resource(seed, 'Lecture notes', { filename: 'lecture-notes.pdf', size: 5 * 1024 * 1024, timemodified: BASE_TIME }),
      this.folder(seed, 'Course materials', [
        { filename: 'syllabus.txt', size: 51, timemodified: BASE_TIME },
        { filename: 'data.bin', size: 300 * 1024, timemodified: BASE_TIME },
        { filename: 'Café — résumé (v2).pdf', filepath: '/readings/', size: 180 * 1024, timemodified: BASE_TIME - DAY },
        { filename: '講義ノート.txt', filepath: '/sub/dir/', size: 4096, timemodified: BASE_TIME - 2 * DAY },
      ]),
    );
    const week2 = this.section(2, null);
    week2.modules.push(
      this.page(seed, 'Welcome to Transfer 101', '<h2>Welcome</h2><p>This course moves files from Moodle to Azure.</p>'),
      this.url('Azure Blob Storage documentation', 'https://learn.microsoft.com/azure/storage/blobs/'),
      this.resource(seed, 'Shared slides (Dropbox)', {
        filename: 'shared-slides.pptx',
        size: 96 * 1024,
        timemodified: BASE_TIME - 3 * DAY,
        external: 'dropbox',
      }),
    );
    model.sections.push(week1, week2, this.section(3, null));
    return model;
  }

  private emptyCourse(course: EmulatorCourse, ltiSection: number, enrolled: Iterable<string>): CourseModel {
    return {
      course,
      summary: course.id === 2 ? 'Course used as LTI / file transfer test peer' : '',
      contextid: this.ids.contextid(),
      startdate: 1795305600,
      timemodified: BASE_TIME - 1,
      sections: [this.section(0, null)],
      enrolled: new Set(enrolled),
      ltiSection,
    };
  }

  private section(number: number, name: string | null): CourseSectionModel {
    return { id: this.ids.sectionId(), section: number, name, modules: [] };
  }

  private module(modname: ModName, name: string): CourseModuleModel {
    return { id: this.ids.cmid(), name, instance: this.ids.instance(modname), contextid: this.ids.contextid(), modname, entries: [] };
  }

  private storedFile(seed: string, module: CourseModuleModel, component: string, file: NewFile): ServedFile {
    const filepath = file.filepath ?? '/';
    return {
      contextid: module.contextid,
      component,
      filearea: 'content',
      itemid: 0,
      filepath,
      filename: file.filename,
      mimetype: mimetypeOf(file.filename),
      timecreated: file.timemodified,
      timemodified: file.timemodified,
      sortorder: file.sortorder ?? 0,
      body: new GeneratedContent(`${seed}:${module.contextid}:${filepath}${file.filename}`, file.size),
      isexternalfile: file.external !== undefined,
      repositorytype: file.external,
    };
  }

  private resource(seed: string, name: string, file: NewFile): CourseModuleModel {
    const module = this.module('resource', name);
    module.entries.push({ type: 'file', file: this.storedFile(seed, module, 'mod_resource', { ...file, sortorder: 1 }) });
    return module;
  }

  private folder(seed: string, name: string, files: NewFile[]): CourseModuleModel {
    const module = this.module('folder', name);
    for (const file of files) module.entries.push({ type: 'file', file: this.storedFile(seed, module, 'mod_folder', file) });
    return module;
  }

  /** mod_page lists its HTML as 'index.html' with filesize 0 (page_export_contents); pluginfile.php serves the HTML. */
  private page(seed: string, name: string, html: string): CourseModuleModel {
    const module = this.module('page', name);
    const file: ServedFile = {
      ...this.storedFile(seed, module, 'mod_page', { filename: 'index.html', size: 0, timemodified: BASE_TIME }),
      mimetype: 'text/html',
      itemid: null,
      sortorder: 1,
      body: { html: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${name}</title></head><body>${html}</body></html>` },
    };
    module.entries.push({ type: 'file', file, listedSize: 0 });
    return module;
  }

  private url(name: string, externalurl: string): CourseModuleModel {
    const module = this.module('url', name);
    module.entries.push({ type: 'url', name, externalurl, timemodified: BASE_TIME });
    return module;
  }

  /** mod_book lists its table of contents as a type 'content' entry (book_export_contents). */
  private book(name: string, chapters: string[]): CourseModuleModel {
    const module = this.module('book', name);
    const structure = chapters.map((title, index) => ({ title, href: `${index + 1}/index.html`, level: 0, hidden: '0', subitems: [] }));
    module.entries.push({ type: 'content', filename: 'structure', content: JSON.stringify(structure), timecreated: BASE_TIME, timemodified: BASE_TIME });
    return module;
  }

  private addExtras(section: CourseSectionModel, seed: string): void {
    section.modules.push(
      this.page(seed, 'Course welcome', '<p>Welcome to the course.</p>'),
      this.book('Course handbook', ['Introduction', 'Assessment']),
      this.url('Course website', 'https://example.edu/course'),
      this.resource(seed, 'Shared recording (Dropbox)', { filename: 'shared-recording.mp4', size: 2048, timemodified: BASE_TIME, external: 'dropbox' }),
    );
  }
}
