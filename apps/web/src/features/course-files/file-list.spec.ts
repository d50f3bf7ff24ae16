import { describe, expect, it } from 'vitest';
import { courseFile } from '@/testing/moodle-fixtures';
import { fileKind, groupRows, sectionsOf, selectionTotals, toRows } from './file-list';

describe(fileKind.name, () => {
  it('puts mimetypes into the families an admin filters by', () => {
    expect(fileKind('application/pdf')).toBe('pdf');
    expect(fileKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('document');
    expect(fileKind('application/vnd.ms-excel')).toBe('spreadsheet');
    expect(fileKind('application/vnd.openxmlformats-officedocument.presentationml.presentation')).toBe('presentation');
    expect(fileKind('image/svg+xml')).toBe('image');
    expect(fileKind('video/mp4')).toBe('video');
    expect(fileKind('application/zip')).toBe('archive');
    expect(fileKind('text/plain')).toBe('document');
    expect(fileKind(null)).toBe('other');
  });
});

describe(sectionsOf.name, () => {
  it('orders sections by their number, and sections without one as first seen', () => {
    const rows = toRows([
      courseFile({ name: 'b', section: 'Week 2', sectionId: 2, sectionNumber: 2 }),
      courseFile({ name: 'a', section: 'Week 1', sectionId: 1, sectionNumber: 1 }),
      courseFile({ name: 'c', section: 'Orphans', sectionId: undefined, sectionNumber: undefined }),
      courseFile({ name: 'd', section: 'Week 2', sectionId: 2, sectionNumber: 2 }),
    ]);

    expect(sectionsOf(rows).map((section) => section.name)).toEqual(['Week 1', 'Week 2', 'Orphans']);
  });
});

describe(groupRows.name, () => {
  it('sorts names the way people read numbers, and keeps Moodle order for ties', () => {
    const rows = toRows([courseFile({ name: 'part 10.pdf' }), courseFile({ name: 'Part 2.pdf' }), courseFile({ name: 'part 1.pdf' })]);
    const groups = groupRows(rows, sectionsOf(rows), { text: '', kind: '', sectionKey: '' }, { key: 'name', direction: 'ascending' });

    expect(groups[0].rows.map((row) => row.name)).toEqual(['part 1.pdf', 'Part 2.pdf', 'part 10.pdf']);
  });
});

describe(selectionTotals.name, () => {
  it('counts only selected files that can be transferred', () => {
    const rows = toRows([
      courseFile({ id: 'a', name: 'a', size: 10 }),
      courseFile({ id: 'b', name: 'b', size: 20 }),
      courseFile({ id: 'c', name: 'c', size: 40, transferable: false, reason: 'external_file' }),
    ]);

    expect(selectionTotals(rows, new Set(['a', 'c', 'gone']))).toEqual({ count: 1, bytes: 10 });
  });
});
