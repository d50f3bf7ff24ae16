import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode, useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '@/app/provider';
import { SectionBoundary } from '@/components/section-boundary';
import { saveSessionToken } from '@/lib/session-token';
import { FileSelectionProvider, useFileSelection } from '@/stores/file-selection';
import { errorBody, fakeApi, fakeEventStream, type FakeResponse } from '@/testing/fake-api';
import { snapshotOf, summaryOf, transferDetail, transferId, transferItem } from '@/testing/transfer-fixtures';
import { CourseTransfers } from './course-transfers';

type Routes = Parameters<typeof fakeApi>[0];

const syllabus = transferItem({ name: 'Syllabus.pdf', fileId: 'id-Syllabus.pdf', size: 2048 });
const photo = transferItem({ name: 'photo.png', fileId: 'id-photo.png', size: 300 * 1024 });
const queuedBatch = transferDetail([syllabus, photo]);
const created = { id: transferId, status: 'queued', items: queuedBatch.items.map(({ id, fileId, blobName, status }) => ({ id, fileId, blobName, status })) };

function Preselect({ fileIds }: { fileIds: string[] }) {
  const { chooseCourse, setSelected } = useFileSelection();
  useEffect(() => {
    chooseCourse(2);
    setSelected(fileIds, true);
  }, [chooseCourse, setSelected, fileIds]);
  return null;
}

function SelectionProbe() {
  const { fileIds } = useFileSelection();
  return <output data-testid="selection">{[...fileIds].join(',')}</output>;
}

const selectedIds = ['id-Syllabus.pdf', 'id-photo.png'];

/** The transfer section of course 2 with two files selected (302 KB), over `routes`. */
function showTransfers(routes: Routes, fileIds: string[] = selectedIds) {
  saveSessionToken('admin-token');
  const api = fakeApi({ 'GET /api/transfers?courseId=2': () => ({ body: [] }), ...routes });
  vi.stubGlobal('fetch', api.fetch);
  render(
    <StrictMode>
      <AppProvider>
        <FileSelectionProvider>
          <Preselect fileIds={fileIds} />
          <SectionBoundary>
            <CourseTransfers courseId={2} fileIds={fileIds} bytes={fileIds.length === 0 ? 0 : 2048 + 300 * 1024} />
          </SectionBoundary>
          <SelectionProbe />
        </FileSelectionProvider>
      </AppProvider>
    </StrictMode>,
  );
  return api;
}

const liveBatchRoutes = (stream = fakeEventStream()): Routes => ({
  [`GET /api/transfers/${transferId}`]: () => ({ body: queuedBatch }),
  [`GET /api/transfers/${transferId}/events`]: () => stream.respond(),
});

const describedTexts = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent);

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Transfer selected files' }));

beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe(CourseTransfers.name, () => {
  it('sends the selection with the destination and conflict policy, clears the selection and shows the progress', async () => {
    const api = showTransfers({
      'POST /api/transfers': () => ({ status: 201, body: created }),
      ...liveBatchRoutes(),
    });
    await screen.findByText('Files selected: 2 (302 KB)');

    fireEvent.change(screen.getByLabelText('Container (optional)'), { target: { value: 'archive' } });
    fireEvent.change(screen.getByLabelText('Folder prefix (optional)'), { target: { value: ' 2025/spring ' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Keep both' }));
    submit();

    const heading = await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    expect(api.calls.find((call) => call.route === 'POST /api/transfers')!.body).toEqual({
      courseId: 2,
      fileIds: selectedIds,
      container: 'archive',
      prefix: '2025/spring',
      conflict: 'rename',
    });
    expect(api.calls.find((call) => call.route === 'POST /api/transfers')!.headers.get('authorization')).toBe('Bearer admin-token');
    expect(screen.getByTestId('selection').textContent).toBe('');
    expect(screen.getByRole('progressbar', { name: 'Batch progress' }).getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByRole('progressbar', { name: 'Syllabus.pdf' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('skips identical files into the default container unless told otherwise, and explains each policy in one line', async () => {
    const api = showTransfers({ 'POST /api/transfers': () => ({ status: 201, body: created }), ...liveBatchRoutes() });
    await screen.findByText('Files selected: 2 (302 KB)');

    const policies = screen.getAllByRole('radio');
    expect(policies.map((radio) => radio.getAttribute('value'))).toEqual(['skip_identical', 'overwrite', 'rename', 'fail']);
    expect((screen.getByRole('radio', { name: 'Skip identical files' }) as HTMLInputElement).checked).toBe(true);
    expect(describedTexts(screen.getByRole('radio', { name: 'Overwrite' }))).toEqual([
      'Always replaces the file in the container with the one from Moodle.',
    ]);
    submit();

    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    expect(api.calls.find((call) => call.route === 'POST /api/transfers')!.body).toEqual({
      courseId: 2,
      fileIds: selectedIds,
      conflict: 'skip_identical',
    });
  });

  it("ties the API's per-field validation messages to their fields, and focuses the first", async () => {
    showTransfers({
      'POST /api/transfers': () => ({
        status: 400,
        body: errorBody('validation_failed', 'Some fields are missing or invalid.', {
          fields: {
            container: ['A container name may contain only lowercase letters a-z, digits and hyphens.'],
            prefix: ['A prefix must not start with "/" or contain empty folders ("//").'],
          },
        }),
      }),
    });
    await screen.findByText('Files selected: 2 (302 KB)');
    const container = screen.getByLabelText('Container (optional)');
    fireEvent.change(container, { target: { value: 'Archive' } });
    fireEvent.change(screen.getByLabelText('Folder prefix (optional)'), { target: { value: '/2025' } });

    submit();

    await waitFor(() => expect(container.getAttribute('aria-invalid')).toBe('true'));
    expect(describedTexts(container)).toEqual([
      'A container name may contain only lowercase letters a-z, digits and hyphens.',
      'Leave blank for Ferry’s default container.',
    ]);
    const prefix = screen.getByLabelText('Folder prefix (optional)');
    expect(prefix.getAttribute('aria-invalid')).toBe('true');
    expect(describedTexts(prefix)[0]).toBe('A prefix must not start with "/" or contain empty folders ("//").');
    expect(screen.getByRole('radio', { name: 'Overwrite' }).getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(container));
    expect(screen.getByTestId('selection').textContent).toBe(selectedIds.join(','));
  });

  it('puts refused file ids on the selection, and a container Ferry may not use on the container', async () => {
    const answers: FakeResponse[] = [
      {
        status: 400,
        body: errorBody('validation_failed', 'Invalid.', {
          fields: { fileIds: ["These files are not in the course's current file list (reload it): id-photo.png."] },
        }),
      },
      { status: 403, body: errorBody('container_not_allowed', 'The container "old" does not exist, and Ferry is not allowed to create it.') },
    ];
    showTransfers({ 'POST /api/transfers': () => answers.shift()! });
    await screen.findByText('Files selected: 2 (302 KB)');

    submit();

    const button = screen.getByRole('button', { name: 'Transfer selected files' });
    await waitFor(() => expect(describedTexts(button)[0]).toBe("These files are not in the course's current file list (reload it): id-photo.png."));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByText(/not in the course's current file list/).parentElement));

    fireEvent.change(screen.getByLabelText('Container (optional)'), { target: { value: 'old' } });
    submit();

    const container = screen.getByLabelText('Container (optional)');
    await waitFor(() => expect(container.getAttribute('aria-invalid')).toBe('true'));
    expect(describedTexts(container)[0]).toBe('This container does not exist, and Ferry may not create it. Choose an existing container.');
  });

  it('says any other refusal in an alert, and keeps the selection', async () => {
    showTransfers({
      'POST /api/transfers': () => ({ status: 503, body: errorBody('storage_unavailable', 'Azure Blob Storage cannot be reached right now; nothing was queued.') }),
    });
    await screen.findByText('Files selected: 2 (302 KB)');

    submit();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Nothing was transferred. Azure Blob Storage cannot be reached right now. Try again in a moment.');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(screen.getByTestId('selection').textContent).toBe(selectedIds.join(','));
    expect(screen.queryByRole('heading', { name: 'Transfer progress' })).toBeNull();
  });

  it('asks for files before sending anything', async () => {
    const api = showTransfers({}, []);
    await screen.findByText('No files selected. Tick the files to transfer in the list above.');

    submit();

    expect(screen.getByText('Select at least one file to transfer.')).toBeTruthy();
    expect(api.calls.some((call) => call.route.startsWith('POST'))).toBe(false);
  });

  it("opens a past transfer's progress from the history", async () => {
    const older = { ...summaryOf(transferDetail([{ ...syllabus, status: 'succeeded' }])), id: 'older', createdAt: '2025-02-01T10:00:00.000Z' };
    showTransfers({
      'GET /api/transfers?courseId=2': () => ({ body: [older] }),
      'GET /api/transfers/older': () => ({ body: { ...transferDetail([{ ...syllabus, status: 'succeeded' }]), id: 'older' } }),
    });
    const history = await screen.findByRole('region', { name: 'Past transfers' });

    fireEvent.click(within(history).getByRole('button', { name: /^View progress of the transfer of/ }));

    const heading = await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    expect(screen.getByText('Succeeded: 1 of 1 files finished.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(within(history).getByText('Shown above')).toBeTruthy();
  });

  it('reads the snapshot a new transfer streams', async () => {
    const stream = fakeEventStream();
    showTransfers({ 'POST /api/transfers': () => ({ status: 201, body: created }), ...liveBatchRoutes(stream) });
    await screen.findByText('Files selected: 2 (302 KB)');
    submit();
    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    await waitFor(() => expect(stream.openCount).toBe(1));

    const running = { ...syllabus, status: 'running' as const, bytesDone: 1024 };
    stream.send('snapshot', snapshotOf(transferDetail([running, photo]), [running]));

    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Syllabus.pdf' }).getAttribute('aria-valuenow')).toBe('50'));
  });
});
