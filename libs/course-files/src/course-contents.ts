import { createHash } from 'node:crypto';
import type { CatalogFile } from '@ferry/transfers';
import type { MoodleCourseSection, MoodleModule, MoodleModuleContent } from '@ferry/moodle-ws';

/** Why a listed entry cannot be transferred (the SPA shows each in words). */
export type NotTransferableReason = 'external_file' | 'url' | 'inline_content';

/** One entry of a course as Ferry lists it: a CatalogFile plus where it sits in the course. */
export interface CourseFile extends CatalogFile {
  sectionId: number;
  sectionNumber: number;
  reason?: NotTransferableReason;
}

const PLUGINFILE = '/pluginfile.php/';

/**
 * A file id stable for the same Moodle file: the decoded pluginfile path (context, component,
 * file area, item id, path, name) hashed, so it survives renames of the module and the section but
 * not a move to another context. Entries with no pluginfile URL (links, inline content) hash where
 * they are listed instead.
 */
export function courseFileId(module: Pick<MoodleModule, 'id'>, content: Pick<MoodleModuleContent, 'type' | 'fileurl' | 'filepath' | 'filename'>): string {
  const pathname = content.fileurl && content.type === 'file' ? safePathname(content.fileurl) : null;
  const at = pathname?.indexOf(PLUGINFILE) ?? -1;
  const key =
    pathname && at >= 0
      ? safeDecode(pathname.slice(at + PLUGINFILE.length))
      : `${module.id}:${content.type}:${content.filepath ?? ''}${content.filename}`;
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

function safePathname(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * mod_page lists its HTML as a zero-byte 'index.html' (page_export_contents) and mod_book one per
 * chapter (book_export_contents): Moodle renders those, they are not files anyone uploaded.
 */
function isGeneratedHtml(module: MoodleModule, content: MoodleModuleContent): boolean {
  return (module.modname === 'page' || module.modname === 'book') && content.filename === 'index.html' && content.filesize === 0;
}

function notTransferableReason(module: MoodleModule, content: MoodleModuleContent): NotTransferableReason | null {
  if (content.type === 'url') return 'url';
  if (content.type !== 'file' || !content.fileurl || isGeneratedHtml(module, content)) return 'inline_content';
  if (content.isexternalfile) return 'external_file';
  return null;
}

/** core_course_get_contents flattened: every entry of every module, in Moodle's order, each saying whether Ferry can move it. */
export function flattenCourseContents(sections: readonly MoodleCourseSection[]): CourseFile[] {
  const files: CourseFile[] = [];
  for (const section of sections) {
    for (const module of section.modules) {
      for (const content of module.contents ?? []) {
        const reason = notTransferableReason(module, content);
        files.push({
          id: courseFileId(module, content),
          section: section.name,
          sectionId: section.id,
          sectionNumber: section.section,
          module: { id: module.id, name: module.name, modname: module.modname },
          path: content.filepath ?? '/',
          name: content.filename,
          size: content.filesize,
          mimetype: content.mimetype ?? null,
          transferable: reason === null,
          ...(reason ? { reason } : {}),
          fileurl: content.fileurl ?? '',
          timemodified: content.timemodified,
        });
      }
    }
  }
  return files;
}
