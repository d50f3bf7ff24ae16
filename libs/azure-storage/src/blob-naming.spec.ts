import { describe, expect, it } from 'vitest';
import {
  MAX_BLOB_NAME_LENGTH,
  MAX_BLOB_PATH_SEGMENTS,
  blobNameFor,
  validateBlobPrefix,
  validateContainerName,
  withNameSuffix,
  type BlobNameParts,
} from './blob-naming';

const parts: BlobNameParts = {
  prefix: 'archive/2025',
  courseShortname: 'CS101',
  section: 'Week 1',
  module: 'Lecture slides',
  folderPath: '/',
  filename: 'intro.pdf',
};

function segmentsOf(name: string): string[] {
  return name.split('/');
}

function expectValidAzureName(name: string): void {
  expect(name.length).toBeGreaterThan(0);
  expect(name.length).toBeLessThanOrEqual(MAX_BLOB_NAME_LENGTH);
  const segments = segmentsOf(name);
  expect(segments.length).toBeLessThanOrEqual(MAX_BLOB_PATH_SEGMENTS);
  for (const segment of segments) {
    expect(segment).not.toBe('');
    expect(segment).not.toMatch(/\.$/);
  }
  expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f\\]/);
}

describe(blobNameFor.name, () => {
  it('joins prefix, course, section, module, folders and file name', () => {
    expect(blobNameFor(parts)).toBe('archive/2025/CS101/Week 1/Lecture slides/intro.pdf');
    expect(blobNameFor({ ...parts, prefix: undefined, folderPath: '/slides/part 1/' })).toBe(
      'CS101/Week 1/Lecture slides/slides/part 1/intro.pdf',
    );
  });

  it('is deterministic', () => {
    expect(blobNameFor({ ...parts })).toBe(blobNameFor({ ...parts }));
  });

  it('drops empty segments from the prefix and the folder path', () => {
    expect(blobNameFor({ ...parts, prefix: '/a//b/', folderPath: '//x///y/' })).toBe('a/b/CS101/Week 1/Lecture slides/x/y/intro.pdf');
    expect(blobNameFor({ ...parts, prefix: '' })).toBe('CS101/Week 1/Lecture slides/intro.pdf');
  });

  it('keeps a slash inside a section, module or file name from making a new folder', () => {
    expect(blobNameFor({ ...parts, prefix: undefined, section: 'Weeks 1/2', module: 'A/B', filename: 'x/y.txt' })).toBe(
      'CS101/Weeks 1_2/A_B/x_y.txt',
    );
  });

  it('turns backslashes into folder separators in paths and into _ inside names', () => {
    expect(blobNameFor({ ...parts, prefix: 'a\\b', folderPath: '\\win\\dir\\', filename: 'c:\\x.txt' })).toBe(
      'a/b/CS101/Week 1/Lecture slides/win/dir/c:_x.txt',
    );
  });

  it('replaces control characters (C0 and C1) with _', () => {
    const name = blobNameFor({ ...parts, prefix: undefined, section: 'Tab\there', module: 'bell\u0007\u0085', filename: 'del\u007f.txt' });
    expect(name).toBe('CS101/Tab_here/bell__/del_.txt');
    expectValidAzureName(name);
  });

  it('removes trailing dots and neutralises . and .. segments', () => {
    const name = blobNameFor({ ...parts, prefix: '../..', section: '.', module: 'notes...', folderPath: '/../a./', filename: 'file.' });
    expect(name).toBe('_/_/CS101/_/notes/_/a/file');
    expectValidAzureName(name);
  });

  it('never yields an empty segment', () => {
    expect(blobNameFor({ ...parts, prefix: undefined, section: '', module: '   ', filename: '' })).toBe('CS101/_/_/_');
  });

  it('keeps unicode, normalised to NFC', () => {
    const decomposed = 'Cafe\u0301 — re\u0301sume\u0301 (v2).pdf';
    const name = blobNameFor({ ...parts, prefix: undefined, section: '講義', filename: decomposed });
    expect(name).toBe('CS101/講義/Lecture slides/Café — résumé (v2).pdf');
    expect(name).toBe(name.normalize('NFC'));
    expect(blobNameFor({ ...parts, filename: '講義ノート.txt' })).toMatch(/\/講義ノート\.txt$/);
  });

  it('replaces a lone surrogate rather than sending invalid UTF-16', () => {
    expect(blobNameFor({ ...parts, prefix: undefined, filename: 'bad\ud800.txt' })).toBe('CS101/Week 1/Lecture slides/bad_.txt');
  });

  it('shortens a name over 1,024 characters, keeping the prefix and the extension', () => {
    const name = blobNameFor({ ...parts, section: 's'.repeat(600), module: 'm'.repeat(600), filename: `${'f'.repeat(600)}.pdf` });
    expectValidAzureName(name);
    expect(name.length).toBeGreaterThan(MAX_BLOB_NAME_LENGTH - 10);
    expect(name.startsWith('archive/2025/CS101/')).toBe(true);
    expect(name).toMatch(/\/f+~[0-9a-f]{10}\.pdf$/);
  });

  it('keeps two long names that differ only at the end apart', () => {
    const long = { ...parts, section: 'x'.repeat(700) };
    const first = blobNameFor({ ...long, filename: `${'a'.repeat(500)}-one.pdf` });
    const second = blobNameFor({ ...long, filename: `${'a'.repeat(500)}-two.pdf` });
    expectValidAzureName(first);
    expectValidAzureName(second);
    expect(first).not.toBe(second);
  });

  it('counts length in UTF-16 units and never splits a surrogate pair when shortening', () => {
    const name = blobNameFor({ ...parts, section: '😀'.repeat(400), module: '講'.repeat(400), filename: '😀'.repeat(300) + '.txt' });
    expectValidAzureName(name);
    expect(name).not.toMatch(LONE);
  });

  it('merges folders beyond 254 segments and still fits', () => {
    const folderPath = `/${Array.from({ length: 400 }, (_, i) => `d${i}`).join('/')}/`;
    const name = blobNameFor({ ...parts, folderPath });
    expectValidAzureName(name);
    expect(segmentsOf(name).at(-1)).toMatch(/^intro~[0-9a-f]{10}\.pdf$/);
  });

  it('fits very deep and long folder paths into 1,024 characters', () => {
    const folderPath = `/${Array.from({ length: 300 }, () => 'folder-name').join('/')}/`;
    const name = blobNameFor({ ...parts, folderPath });
    expectValidAzureName(name);
  });

  it('refuses a prefix longer than 256 characters', () => {
    expect(() => blobNameFor({ ...parts, prefix: 'p'.repeat(300) })).toThrow(RangeError);
  });
});

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe(withNameSuffix.name, () => {
  it('adds (n) before the extension', () => {
    expect(withNameSuffix('a/b/file.pdf', 2)).toBe('a/b/file (2).pdf');
    expect(withNameSuffix('Café — résumé (v2).pdf', 3)).toBe('Café — résumé (v2) (3).pdf');
  });

  it('adds (n) at the end when there is no extension, or the name is a dotfile', () => {
    expect(withNameSuffix('a/README', 2)).toBe('a/README (2)');
    expect(withNameSuffix('a/.env', 2)).toBe('a/.env (2)');
    expect(withNameSuffix('a/Version 1.2 notes', 2)).toBe('a/Version 1.2 notes (2)');
  });

  it('stays within 1,024 characters', () => {
    const long = blobNameFor({ ...parts, section: 's'.repeat(1000), filename: 'x.pdf' });
    const renamed = withNameSuffix(long, 12);
    expect(renamed.length).toBeLessThanOrEqual(MAX_BLOB_NAME_LENGTH);
    expect(renamed).toMatch(/ \(12\)\.pdf$/);
  });

  it('gives distinct names for distinct n', () => {
    expect(new Set([2, 3, 4].map((n) => withNameSuffix('x.txt', n))).size).toBe(3);
  });

  it('refuses n below 2', () => {
    expect(() => withNameSuffix('x.txt', 1)).toThrow(RangeError);
    expect(() => withNameSuffix('x.txt', 2.5)).toThrow(RangeError);
  });
});

describe(validateContainerName.name, () => {
  it('accepts valid names', () => {
    for (const name of ['abc', 'ferry', 'course-files-2025', 'a'.repeat(63), '123']) expect(validateContainerName(name)).toEqual([]);
  });

  it('checks the length', () => {
    expect(validateContainerName('ab')).toEqual(['A container name must be 3 to 63 characters long.']);
    expect(validateContainerName('a'.repeat(64))).toEqual(['A container name must be 3 to 63 characters long.']);
  });

  it('allows only lowercase letters, digits and hyphens', () => {
    expect(validateContainerName('feRry')).toEqual(['A container name may contain only lowercase letters a-z, digits and hyphens.']);
    expect(validateContainerName('fer_ry')).toHaveLength(1);
    expect(validateContainerName('cafés')).toHaveLength(1);
  });

  it('must start and end with a letter or digit', () => {
    expect(validateContainerName('-abc')).toEqual(['A container name must start and end with a letter or a digit.']);
    expect(validateContainerName('abc-')).toEqual(['A container name must start and end with a letter or a digit.']);
  });

  it('refuses double hyphens', () => {
    expect(validateContainerName('a--b')).toEqual(['A container name must not contain two hyphens in a row.']);
  });

  it('lists every problem at once', () => {
    expect(validateContainerName('-A')).toHaveLength(3);
  });
});

describe(validateBlobPrefix.name, () => {
  it('accepts empty and ordinary prefixes, with or without a trailing slash', () => {
    for (const prefix of ['', 'archive', 'archive/2025', 'archive/2025/', 'Archiv/Kurs 1/é']) expect(validateBlobPrefix(prefix)).toEqual([]);
  });

  it('names each problem', () => {
    expect(validateBlobPrefix('/a')).toHaveLength(1);
    expect(validateBlobPrefix('a//b')).toHaveLength(1);
    expect(validateBlobPrefix('a\\b')).toHaveLength(1);
    expect(validateBlobPrefix('a/../b')).toHaveLength(1);
    expect(validateBlobPrefix('a./b')).toHaveLength(1);
    expect(validateBlobPrefix('a/\u0001')).toHaveLength(1);
    expect(validateBlobPrefix('a/ /b')).toHaveLength(1);
    expect(validateBlobPrefix('p'.repeat(257))).toHaveLength(1);
  });
});
