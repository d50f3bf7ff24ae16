import { createHash } from 'node:crypto';

/** Azure's limits for a blob name (learn.microsoft.com, "Naming and referencing containers, blobs, and metadata"). */
export const MAX_BLOB_NAME_LENGTH = 1024;
export const MAX_BLOB_PATH_SEGMENTS = 254;
/** Ours, not Azure's: leaves the rest of the 1,024 characters to the course, section, module and file. */
export const MAX_BLOB_PREFIX_LENGTH = 256;

export interface BlobNameParts {
  /** Chosen by the admin, may hold several segments (`archive/2025`). */
  prefix?: string;
  courseShortname: string;
  /** The section's name as Moodle shows it. */
  section: string;
  /** The course module's name. */
  module: string;
  /** Moodle's `filepath`, `/` or `/nested/folders/`. */
  folderPath: string;
  filename: string;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const TRAILING_DOTS_AND_SPACES = /[.\s]+$/u;
const EXTENSION = /\.[\p{L}\p{N}_+-]{1,16}$/u;
const SHORTENED_HASH_LENGTH = 10;
const FILE_STEM_KEPT_WHEN_SHORTENING = 100;

/**
 * One path segment made safe for Azure: NFC, no control characters or slashes inside it, no
 * trailing dot (Azure drops it, so `a.` and `a` would be one blob), never empty. `.` and `..`
 * therefore become `_`, which keeps them from meaning anything to a tool that later treats the
 * names as paths.
 */
function cleanSegment(raw: string): string {
  const cleaned = raw
    .normalize('NFC')
    .replace(LONE_SURROGATES, '_')
    .replace(CONTROL_CHARACTERS, '_')
    .replace(/[\\/]/g, '_')
    .trim()
    .replace(TRAILING_DOTS_AND_SPACES, '');
  return cleaned === '' ? '_' : cleaned;
}

/** A value that may hold several segments (prefix, Moodle filepath): backslashes count as separators, empty segments vanish. */
function cleanPath(raw: string): string[] {
  return raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment.trim() !== '')
    .map(cleanSegment);
}

function splitExtension(filename: string): { stem: string; extension: string } {
  const match = EXTENSION.exec(filename);
  if (!match || match.index === 0) return { stem: filename, extension: '' };
  return { stem: filename.slice(0, match.index), extension: match[0] };
}

/** Cuts to at most `maxCodePoints` without splitting a surrogate pair, and keeps the segment valid. */
function truncateSegment(segment: string, maxCodePoints: number): string {
  const codePoints = Array.from(segment);
  if (codePoints.length <= maxCodePoints) return segment;
  return cleanSegment(codePoints.slice(0, maxCodePoints).join(''));
}

function mergeExcessSegments(segments: string[]): string[] {
  if (segments.length <= MAX_BLOB_PATH_SEGMENTS) return segments;
  const keep = MAX_BLOB_PATH_SEGMENTS - 2;
  return [...segments.slice(0, keep), segments.slice(keep, -1).join('_'), segments[segments.length - 1]];
}

/**
 * Shortens every segment after the prefix to the same largest cap that fits, and tags the file name
 * with a hash of the full name so that two long names sharing a beginning stay two blobs.
 */
function shortenToFit(prefix: string[], middle: string[], filename: string, fullName: string): string {
  const hash = createHash('sha256').update(fullName).digest('hex').slice(0, SHORTENED_HASH_LENGTH);
  const { stem, extension } = splitExtension(filename);
  const build = (cap: number, folders: string[], stemFloor: number) =>
    [
      ...prefix,
      ...folders.map((s) => truncateSegment(s, cap)),
      `${truncateSegment(stem, Math.max(cap, stemFloor))}~${hash}${extension}`,
    ].join('/');

  // Folders give way first; the file name keeps up to 100 characters as long as anything fits.
  const attempts = [
    { folders: middle, stemFloor: FILE_STEM_KEPT_WHEN_SHORTENING },
    { folders: middle, stemFloor: 1 },
    { folders: [middle.join('_')], stemFloor: 1 },
  ];
  for (const { folders, stemFloor } of attempts) {
    let low = 1;
    let high = MAX_BLOB_NAME_LENGTH;
    if (build(low, folders, stemFloor).length > MAX_BLOB_NAME_LENGTH) continue;
    while (low < high) {
      const cap = Math.ceil((low + high) / 2);
      if (build(cap, folders, stemFloor).length <= MAX_BLOB_NAME_LENGTH) low = cap;
      else high = cap - 1;
    }
    return build(low, folders, stemFloor);
  }
  // Only reachable with a prefix longer than blobNameFor allows.
  throw new RangeError('The blob prefix leaves no room for the file name.');
}

/**
 * The deterministic, readable blob name of one Moodle file:
 * `prefix/course-shortname/section/module/folder-path/filename`, made valid for Azure (see
 * `cleanSegment`), unicode kept. A name over 1,024 characters has its middle segments shortened
 * and a short hash added before the extension.
 */
export function blobNameFor(parts: BlobNameParts): string {
  const prefix = cleanPath(parts.prefix ?? '');
  if (prefix.join('/').length > MAX_BLOB_PREFIX_LENGTH) {
    throw new RangeError(`A blob prefix may be at most ${MAX_BLOB_PREFIX_LENGTH} characters long.`);
  }
  const segments = mergeExcessSegments([
    ...prefix,
    cleanSegment(parts.courseShortname),
    cleanSegment(parts.section),
    cleanSegment(parts.module),
    ...cleanPath(parts.folderPath),
    cleanSegment(parts.filename),
  ]);
  const name = segments.join('/');
  if (name.length <= MAX_BLOB_NAME_LENGTH) return name;
  return shortenToFit(segments.slice(0, prefix.length), segments.slice(prefix.length, -1), segments[segments.length - 1], name);
}

/** `dir/file.pdf` → `dir/file (2).pdf`: the name the `rename` conflict policy tries next. */
export function withNameSuffix(name: string, n: number): string {
  if (!Number.isInteger(n) || n < 2) throw new RangeError('A name suffix starts at 2.');
  const slash = name.lastIndexOf('/');
  const directory = name.slice(0, slash + 1);
  const { stem, extension } = splitExtension(name.slice(slash + 1));
  const suffix = ` (${n})${extension}`;
  const room = MAX_BLOB_NAME_LENGTH - directory.length - suffix.length;
  return `${directory}${truncateSegment(stem, Math.max(1, room))}${suffix}`;
}

/** Azure's container name rules, as messages an admin can act on; empty when the name is valid. */
export function validateContainerName(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push('A container name must be 3 to 63 characters long.');
  if (/[^a-z0-9-]/.test(name)) problems.push('A container name may contain only lowercase letters a-z, digits and hyphens.');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push('A container name must start and end with a letter or a digit.');
  }
  if (name.includes('--')) problems.push('A container name must not contain two hyphens in a row.');
  return problems;
}

/**
 * What is wrong with an admin's blob prefix, as messages; empty when valid. `blobNameFor` would
 * repair these silently, but a person typing a prefix should see what they get.
 */
export function validateBlobPrefix(prefix: string): string[] {
  const problems: string[] = [];
  if (prefix.length > MAX_BLOB_PREFIX_LENGTH) problems.push(`A prefix may be at most ${MAX_BLOB_PREFIX_LENGTH} characters long.`);
  if (new RegExp(CONTROL_CHARACTERS.source).test(prefix)) problems.push('A prefix must not contain control characters.');
  if (prefix.includes('\\')) problems.push('A prefix must use "/" to separate folders, not "\\".');
  const segments = prefix.replace(/\/$/, '').split('/');
  if (prefix !== '' && segments.some((segment) => segment === '')) {
    problems.push('A prefix must not start with "/" or contain empty folders ("//").');
  }
  if (segments.some((segment) => segment !== '' && segment.trim() === '')) problems.push('A prefix folder must not be only spaces.');
  if (segments.some((segment) => /\.$/.test(segment))) problems.push('A prefix folder must not be "." or ".." or end with a dot.');
  return problems;
}
