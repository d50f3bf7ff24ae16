import type { CourseFile } from './types';

export type FileKind = 'pdf' | 'document' | 'spreadsheet' | 'presentation' | 'image' | 'audio' | 'video' | 'archive' | 'other';

export const fileKinds: readonly FileKind[] = ['pdf', 'document', 'spreadsheet', 'presentation', 'image', 'audio', 'video', 'archive', 'other'];

/** A mimetype's family, for the type filter: what an admin thinks of, not what a server sends. */
export function fileKind(mimetype: string | null): FileKind {
  const type = (mimetype ?? '').toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (/zip|x-7z|x-tar|gzip|x-rar|x-bzip/.test(type)) return 'archive';
  if (/spreadsheet|excel|text\/csv/.test(type)) return 'spreadsheet';
  if (/presentation|powerpoint/.test(type)) return 'presentation';
  if (type.startsWith('text/') || /msword|wordprocessing|opendocument\.text|rtf|epub/.test(type)) return 'document';
  return 'other';
}

export interface FileRow extends CourseFile {
  kind: FileKind;
  sectionKey: string;
  /** Folder path and name, lower-cased, for the text filter. */
  searchText: string;
  modifiedTime: number;
  /** The order Moodle lists the course in. */
  position: number;
}

export interface SectionInfo {
  key: string;
  name: string;
}

export function sectionKeyOf(file: CourseFile): string {
  return file.sectionId !== undefined ? `id:${file.sectionId}` : `name:${file.section}`;
}

export function toRows(files: readonly CourseFile[]): FileRow[] {
  return files.map((file, position) => ({
    ...file,
    kind: fileKind(file.mimetype),
    sectionKey: sectionKeyOf(file),
    searchText: `${file.path}${file.name}`.toLowerCase(),
    modifiedTime: file.modifiedAt ? Date.parse(file.modifiedAt) : 0,
    position,
  }));
}

/** Sections in course order (by section number where Moodle gave one, else as first seen). */
export function sectionsOf(rows: readonly FileRow[]): SectionInfo[] {
  const seen = new Map<string, { name: string; number: number; first: number }>();
  for (const row of rows) {
    if (!seen.has(row.sectionKey)) {
      seen.set(row.sectionKey, { name: row.section, number: row.sectionNumber ?? Number.MAX_SAFE_INTEGER, first: row.position });
    }
  }
  return [...seen.entries()]
    .sort(([, a], [, b]) => a.number - b.number || a.first - b.first)
    .map(([key, { name }]) => ({ key, name }));
}

export type SortKey = 'position' | 'name' | 'size' | 'modified';
export interface SortOrder {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

export interface FileFilter {
  text: string;
  kind: FileKind | '';
  sectionKey: string;
}

const nameCollator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const compareBy: Record<SortKey, (a: FileRow, b: FileRow) => number> = {
  position: (a, b) => a.position - b.position,
  name: (a, b) => nameCollator.compare(a.name, b.name) || nameCollator.compare(a.path, b.path) || a.position - b.position,
  size: (a, b) => a.size - b.size || a.position - b.position,
  modified: (a, b) => a.modifiedTime - b.modifiedTime || a.position - b.position,
};

export interface SectionGroup {
  section: SectionInfo;
  rows: FileRow[];
}

/** The rows that pass the filter, sorted, grouped under their sections in course order. */
export function groupRows(rows: readonly FileRow[], sections: readonly SectionInfo[], filter: FileFilter, sort: SortOrder): SectionGroup[] {
  const text = filter.text.trim().toLowerCase();
  const compare = compareBy[sort.key];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const bySection = new Map<string, FileRow[]>(sections.map((section) => [section.key, []]));
  for (const row of rows) {
    if (text && !row.searchText.includes(text)) continue;
    if (filter.kind && row.kind !== filter.kind) continue;
    if (filter.sectionKey && row.sectionKey !== filter.sectionKey) continue;
    bySection.get(row.sectionKey)!.push(row);
  }
  return sections
    .map((section) => ({ section, rows: bySection.get(section.key)!.sort((a, b) => sign * compare(a, b)) }))
    .filter((group) => group.rows.length > 0);
}

/** Count and bytes of the selected files that can be transferred. */
export function selectionTotals(rows: readonly FileRow[], selected: ReadonlySet<string>): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  if (selected.size === 0) return { count, bytes };
  for (const row of rows) {
    if (row.transferable && selected.has(row.id)) {
      count += 1;
      bytes += row.size;
    }
  }
  return { count, bytes };
}
