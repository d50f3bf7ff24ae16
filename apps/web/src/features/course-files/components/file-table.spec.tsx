import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AppProvider } from '@/app/provider';
import { SectionBoundary } from '@/components/section-boundary';
import { FileSelectionProvider, useFileSelection } from '@/stores/file-selection';
import { fakeApi } from '@/testing/fake-api';
import { courseFile, courseFiles, sampleCourseFiles } from '@/testing/moodle-fixtures';
import type { CourseFiles } from '../types';
import { FileTable, filePageSize } from './file-table';

function SelectionProbe() {
  const { courseId, fileIds } = useFileSelection();
  return <output data-testid="selection">{JSON.stringify({ courseId, fileIds: [...fileIds].sort() })}</output>;
}

function ChooseCourse({ courseId }: { courseId: number }) {
  const { chooseCourse, courseId: chosen } = useFileSelection();
  if (chosen !== courseId) chooseCourse(courseId);
  return null;
}

async function showFiles(files: CourseFiles) {
  vi.stubGlobal('fetch', fakeApi({ 'GET /api/courses/2/files': () => ({ body: files }) }).fetch);
  render(
    <AppProvider>
      <FileSelectionProvider>
        <ChooseCourse courseId={2} />
        <SectionBoundary>
          <FileTable courseId={2} />
        </SectionBoundary>
        <SelectionProbe />
      </FileSelectionProvider>
    </AppProvider>,
  );
  return screen.findByRole('table');
}

const selection = () => JSON.parse(screen.getByTestId('selection').textContent!) as { courseId: number; fileIds: string[] };
const fileNames = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .filter((row) => !row.classList.contains('file-table__section') && row.querySelector('td'))
    .map((row) => row.querySelector('.file-table__name > span:not(.file-table__path)')!.textContent);
const summary = () => screen.getByText(/^(Selected:|No files selected)/).textContent;

describe(FileTable.name, () => {
  it('groups files under their sections with folder paths, and disables what cannot be transferred', async () => {
    const table = await showFiles(sampleCourseFiles());

    const sections = within(table).getAllByRole('columnheader').filter((cell) => cell.getAttribute('scope') === 'colgroup');
    expect(sections.map((cell) => cell.textContent)).toEqual(['General (2)', 'Week 1 (4)']);
    expect(fileNames(table)).toEqual(['Syllabus.pdf', 'Café — résumé (v2).pdf', 'photo.png', 'notes.txt', 'Course website', 'shared.docx']);
    expect(within(table).getByText('/lectures/')).toBeTruthy();
    const link = screen.getByRole('checkbox', { name: 'Select Course website' }) as HTMLInputElement;
    expect(link.disabled).toBe(true);
    expect(document.getElementById(link.getAttribute('aria-describedby')!)!.textContent).toBe('Not transferable: a link, not a file.');
    expect(screen.getByText('Not transferable: the file is stored in an external repository.')).toBeTruthy();
    expect(screen.getByText('Files that can be transferred: 4 (5.3 MB).')).toBeTruthy();
  });

  it('sorts by name, size and modified time, both ways, within each section', async () => {
    const table = await showFiles(sampleCourseFiles());
    const header = (name: string) => within(table).getByRole('button', { name: new RegExp(`^${name}`) });

    fireEvent.click(header('Name'));
    expect(fileNames(table)).toEqual(['Café — résumé (v2).pdf', 'Syllabus.pdf', 'Course website', 'notes.txt', 'photo.png', 'shared.docx']);
    expect(header('Name').closest('th')!.getAttribute('aria-sort')).toBe('ascending');

    fireEvent.click(header('Name'));
    expect(fileNames(table).slice(0, 2)).toEqual(['Syllabus.pdf', 'Café — résumé (v2).pdf']);
    expect(header('Name').closest('th')!.getAttribute('aria-sort')).toBe('descending');

    fireEvent.click(header('Size'));
    expect(fileNames(table)).toEqual(['Syllabus.pdf', 'Café — résumé (v2).pdf', 'Course website', 'notes.txt', 'shared.docx', 'photo.png']);
    expect(header('Name').closest('th')!.getAttribute('aria-sort')).toBe('none');

    fireEvent.click(header('Modified'));
    expect(fileNames(table).slice(0, 2)).toEqual(['Syllabus.pdf', 'Café — résumé (v2).pdf']);
  });

  it('filters by text in the name or folder, by type and by section', async () => {
    const table = await showFiles(sampleCourseFiles());

    fireEvent.change(screen.getByLabelText('Name or folder contains'), { target: { value: 'LECTURES' } });
    expect(fileNames(await screen.findByRole('table'))).toEqual(['notes.txt']);

    fireEvent.change(screen.getByLabelText('Name or folder contains'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'pdf' } });
    expect(fileNames(await screen.findByRole('table'))).toEqual(['Syllabus.pdf', 'Café — résumé (v2).pdf']);
    const types = within(screen.getByLabelText('Type')).getAllByRole('option').map((option) => option.textContent);
    expect(types).toEqual(['All types', 'PDF', 'Document', 'Image', 'Other']);

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Section'), { target: { value: 'id:11' } });
    expect(fileNames(await screen.findByRole('table'))).toEqual(['photo.png', 'notes.txt', 'Course website', 'shared.docx']);

    fireEvent.change(screen.getByLabelText('Name or folder contains'), { target: { value: 'nothing like this' } });
    expect(await screen.findByText('No files match these filters.')).toBeTruthy();
    expect(table.isConnected).toBe(false);
  });

  it('selects all transferable files of a section, totals the selection, and keeps it in the shared store', async () => {
    await showFiles(sampleCourseFiles());
    expect(summary()).toBe('No files selected.');

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all files in Week 1' }));
    expect(summary()).toBe('Selected: 2 files (300 KB)');
    expect(selection()).toEqual({ courseId: 2, fileIds: ['id-notes.txt', 'id-photo.png'] });

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Syllabus.pdf' }));
    const general = screen.getByRole('checkbox', { name: 'Select all files in General' }) as HTMLInputElement;
    expect(general.checked).toBe(false);
    expect(general.indeterminate).toBe(true);
    expect(summary()).toBe('Selected: 3 files (302 KB)');

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all files in Week 1' }));
    expect(selection().fileIds).toEqual(['id-Syllabus.pdf']);

    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(summary()).toBe('No files selected.');
  });

  it('selects only the files that pass the filter when selecting a section', async () => {
    await showFiles(sampleCourseFiles());
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'image' } });

    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select all files in Week 1' }));

    expect(selection().fileIds).toEqual(['id-photo.png']);
  });

  it(`draws a 5,000-file course ${filePageSize} rows at a time`, async () => {
    const files = Array.from({ length: 5000 }, (_, index) =>
      courseFile({
        id: `f${index}`,
        name: `file-${String(index).padStart(4, '0')}.pdf`,
        section: `Week ${Math.floor(index / 500)}`,
        sectionId: Math.floor(index / 500),
        sectionNumber: Math.floor(index / 500),
        size: 1000 + index,
      }),
    );
    const table = await showFiles(courseFiles(files));

    expect(fileNames(table)).toHaveLength(filePageSize);
    expect(screen.getByText('Showing 200 of 5,000 files.')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all files in Week 0' }));
    expect(summary()).toBe('Selected: 500 files (610 KB)');

    fireEvent.click(screen.getByRole('button', { name: 'Show 200 more' }));
    expect(fileNames(screen.getByRole('table'))).toHaveLength(2 * filePageSize);
  });
});
