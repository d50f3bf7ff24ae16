import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody, fakeApi, fakeEventStream, issuedSession, type FakeResponse } from '@/testing/fake-api';
import {
  configuredSettings,
  history201,
  moodleConnection,
  moodleSettings,
  notConfigured,
  notConnected,
  sampleCourseFiles,
  transfer101,
} from '@/testing/moodle-fixtures';
import { snapshotOf, transferDetail, transferId, transferItem } from '@/testing/transfer-fixtures';
import { App } from '../../app';

type Routes = Parameters<typeof fakeApi>[0];

function adminSession() {
  const { token: _token, ...view } = issuedSession({
    user: { id: 'u-admin', name: 'Admin User', roles: ['admin', 'instructor'] },
    context: { id: '2', label: 'TR101', title: 'Transfer 101' },
  });
  return view;
}

/** An admin reloading Ferry at `path`: the stored token goes to /api/me, then the page's own calls. */
function openAdminConsole(routes: Routes, path = '/app/launch') {
  window.sessionStorage.setItem('ferry.sessionToken', 'admin-token');
  const api = fakeApi({ 'GET /api/me': () => ({ body: adminSession() }), ...routes });
  vi.stubGlobal('fetch', api.fetch);
  window.history.replaceState(null, '', path);
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  return api;
}

/** Answers in turn; the last answer repeats. */
function inTurn(...answers: FakeResponse[]) {
  return () => (answers.length > 1 ? answers.shift()! : answers[0]);
}

const connectedConsole = (): Routes => ({
  'GET /api/moodle-connection': () => ({ body: moodleConnection() }),
  'GET /api/courses': () => ({ body: [transfer101, history201] }),
  'GET /api/courses/2/files': () => ({ body: sampleCourseFiles() }),
  'GET /api/transfers?courseId=2': () => ({ body: [] }),
});

beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe('the admin home, by the state of the Moodle connection', () => {
  it('asks for the platform setup when Moodle is not configured', async () => {
    openAdminConsole({
      'GET /api/moodle-connection': () => ({ body: notConfigured() }),
      'GET /api/platform/moodle-settings': () => ({ body: moodleSettings() }),
    });

    await screen.findByRole('heading', { level: 2, name: 'Set up Moodle for Ferry' });
    expect(screen.getByRole('heading', { level: 1, name: 'Admin console' })).toBeTruthy();
    expect((screen.getByLabelText('Moodle URL') as HTMLInputElement).value).toBe('https://moodle.example.edu');
    expect(screen.getByRole('link', { name: 'Course files' }).getAttribute('aria-current')).toBe('page');
  });

  it('asks to connect when configured but this admin is not connected', async () => {
    openAdminConsole({ 'GET /api/moodle-connection': () => ({ body: notConnected() }) });

    await screen.findByRole('heading', { level: 2, name: 'Connect to Moodle' });
    expect(screen.getByRole('button', { name: 'Connect with Moodle' })).toBeTruthy();
    expect(screen.getByLabelText('Web service token')).toBeTruthy();
    expect(screen.queryByLabelText('Moodle password')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks to reconnect, saying why, when the stored token stopped working', async () => {
    openAdminConsole({ 'GET /api/moodle-connection': () => ({ body: moodleConnection({ needsReconnect: true }) }) });

    await screen.findByRole('heading', { level: 2, name: 'Connect to Moodle' });
    expect(screen.getByRole('alert').textContent).toBe('Your Moodle connection expired — reconnect.');
  });

  it('shows the transfer console, with the launch course preselected, once connected', async () => {
    const api = openAdminConsole(connectedConsole());

    await screen.findByRole('heading', { level: 2, name: 'Course files' });
    expect((screen.getByLabelText('Course') as HTMLSelectElement).value).toBe('2');
    await screen.findByText('Syllabus.pdf');
    expect(api.calls.map((call) => call.route)).toContain('GET /api/courses/2/files');
  });

  it('lists the functions the token lacks, by name', async () => {
    openAdminConsole({
      ...connectedConsole(),
      'GET /api/moodle-connection': () => ({ body: moodleConnection({ missingFunctions: ['core_course_search_courses'] }) }),
    });

    await screen.findByText('core_course_search_courses');
    expect(screen.getByText(/lacks these functions Ferry needs/)).toBeTruthy();
  });
});

describe('the platform setup form', () => {
  function openSetup(save: Routes[string]) {
    return openAdminConsole({
      'GET /api/moodle-connection': inTurn({ body: notConfigured() }, { body: notConnected() }),
      'GET /api/platform/moodle-settings': () => ({ body: moodleSettings() }),
      'PUT /api/platform/moodle-settings': save,
    });
  }

  it('prefills the endpoints of the chosen provider plugin, and leaves them editable', async () => {
    openSetup(() => ({ status: 500 }));
    const provider = (await screen.findByLabelText('OAuth2 provider plugin')) as HTMLSelectElement;

    expect((screen.getByLabelText('Token URL') as HTMLInputElement).value).toBe('https://moodle.example.edu/local/oauthmcp/token.php');
    fireEvent.change(provider, { target: { value: 'local_oauth2' } });
    expect((screen.getByLabelText('Authorize URL') as HTMLInputElement).value).toBe('https://moodle.example.edu/local/oauth2/login.php');
    expect((screen.getByLabelText('Revoke URL (optional)') as HTMLInputElement).value).toBe('');
    fireEvent.change(screen.getByLabelText('Token URL'), { target: { value: 'https://moodle.example.edu/custom/token.php' } });
    expect((screen.getByLabelText('Token URL') as HTMLInputElement).value).toBe('https://moodle.example.edu/custom/token.php');
  });

  it('explains each connection method in one line, and asks for the service only for credentials', async () => {
    openSetup(() => ({ status: 500 }));
    const credentials = await screen.findByRole('radio', { name: 'Moodle credentials' });

    expect(screen.getByRole('radio', { name: 'OAuth2 plugin' }).getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.queryByLabelText('Web service short name')).toBeNull();
    fireEvent.click(credentials);
    expect((screen.getByLabelText('Web service short name') as HTMLInputElement).value).toBe('moodle_mobile_app');
    expect(screen.queryByLabelText('Client ID')).toBeNull();
  });

  it('checks fields before sending, ties each error to its field and focuses the first', async () => {
    const api = openSetup(() => ({ status: 500 }));
    const url = await screen.findByLabelText('Moodle URL');
    fireEvent.change(url, { target: { value: 'moodle.example.edu' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));

    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(url.getAttribute('aria-describedby')!.split(' ')[0])!.textContent).toBe(
      'Enter a full address starting with https://',
    );
    expect(screen.getByLabelText('Client ID').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Client secret').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(url));
    expect(api.calls.some((call) => call.route.startsWith('PUT'))).toBe(false);
  });

  it('says it is checking with Moodle, sends the settings, then moves on to connecting', async () => {
    let answer!: (response: FakeResponse) => void;
    const api = openSetup(() => new Promise((resolve) => (answer = resolve)));
    fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'ferry' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 's3cret' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));

    await screen.findByText('Checking the connection with Moodle…');
    expect(api.calls.find((call) => call.route === 'PUT /api/platform/moodle-settings')!.body).toEqual({
      moodleUrl: 'https://moodle.example.edu',
      method: 'oauth',
      oauth: {
        provider: 'local_oauthmcp',
        clientId: 'ferry',
        clientSecret: 's3cret',
        authorizeUrl: 'https://moodle.example.edu/local/oauthmcp/authorize.php',
        tokenUrl: 'https://moodle.example.edu/local/oauthmcp/token.php',
        revokeUrl: 'https://moodle.example.edu/local/oauthmcp/revoke.php',
        scope: 'webservice',
      },
    });
    await act(async () => answer({ body: configuredSettings() }));
    await screen.findByRole('heading', { level: 2, name: 'Connect to Moodle' });
  });

  it('shows a rejected client next to the client id and secret, and saves nothing', async () => {
    openSetup(() => ({ status: 422, body: errorBody('oauth_client_rejected', 'The token endpoint said invalid_client.', { part: 'client' }) }));
    fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'ferry' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'wrong' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));

    const clientId = screen.getByLabelText('Client ID');
    await waitFor(() => expect(clientId.getAttribute('aria-invalid')).toBe('true'));
    const described = clientId.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)!.textContent);
    expect(described).toContain('Moodle did not accept this client ID and secret.');
    expect(screen.getByLabelText('Client secret').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Moodle URL').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('Nothing was saved. The token endpoint said invalid_client.');
    await waitFor(() => expect(document.activeElement).toBe(clientId));
  });

  it('shows an unreachable Moodle next to the Moodle URL', async () => {
    openSetup(() => ({ status: 422, body: errorBody('moodle_unreachable', 'No answer from Moodle.', { part: 'moodle' }) }));
    fireEvent.click(await screen.findByRole('radio', { name: 'Personal web service token' }));

    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));

    const url = screen.getByLabelText('Moodle URL');
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Ferry could not reach Moodle at this address.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(url));
  });

  it('shows an invalid endpoint next to the endpoint Ferry names', async () => {
    openSetup(() => ({ status: 422, body: errorBody('oauth_endpoint_invalid', 'HTTP 404 from the token URL.', { part: 'tokenUrl' }) }));
    fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'ferry' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 's3cret' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));

    await waitFor(() => expect(screen.getByLabelText('Token URL').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText('Authorize URL').getAttribute('aria-invalid')).toBeNull();
  });

  it("shows the API's per-field validation messages next to their fields", async () => {
    openSetup(() => ({
      status: 400,
      body: errorBody('validation_failed', 'Some fields are missing or invalid.', {
        fields: { 'oauth.scope': ['scope must be shorter than or equal to 255 characters'] },
      }),
    }));
    fireEvent.change(await screen.findByLabelText('Client ID'), { target: { value: 'ferry' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 's3cret' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));

    await screen.findByText('scope must be shorter than or equal to 255 characters');
    expect(screen.getByLabelText('Scope').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('connecting with OAuth2 in a popup', () => {
  function fakePopup() {
    return { location: { href: 'about:blank' }, closed: false, close: vi.fn() };
  }

  function openConnect(afterConnect: FakeResponse = { body: moodleConnection() }) {
    return openAdminConsole({
      ...connectedConsole(),
      'GET /api/moodle-connection': inTurn({ body: notConnected() }, { body: notConnected() }, afterConnect),
      'POST /api/moodle-oauth/start': () => ({ body: { url: 'https://ferry.example.edu/api/moodle-oauth/authorize?ticket=t1' } }),
    });
  }

  const outcome = (origin: string, data: unknown) =>
    act(async () => {
      window.dispatchEvent(new MessageEvent('message', { origin, data }));
    });

  it('opens the popup within the click, sends it to the one-time URL, and trusts only its own origin', async () => {
    const popup = fakePopup();
    const open = vi.fn(() => popup);
    vi.stubGlobal('open', open);
    openConnect();

    fireEvent.click(await screen.findByRole('button', { name: 'Connect with Moodle' }));

    expect(open).toHaveBeenCalledWith('about:blank', 'ferry-moodle-oauth', 'popup,width=520,height=680');
    await waitFor(() => expect(popup.location.href).toBe('https://ferry.example.edu/api/moodle-oauth/authorize?ticket=t1'));
    await screen.findByText('Finish in the Moodle window. This page continues on its own.');

    await outcome('https://evil.example.com', { type: 'ferry:moodle-oauth', ok: true });
    await outcome(window.location.origin, { type: 'something-else', ok: true });
    expect(screen.getByText('Finish in the Moodle window. This page continues on its own.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Course files' })).toBeNull();

    await outcome(window.location.origin, { type: 'ferry:moodle-oauth', ok: true });
    await screen.findByRole('heading', { level: 2, name: 'Course files' });
  });

  it("shows the popup's error outcome", async () => {
    vi.stubGlobal('open', vi.fn(fakePopup));
    openConnect();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect with Moodle' }));
    await screen.findByText('Finish in the Moodle window. This page continues on its own.');

    await outcome(window.location.origin, {
      type: 'ferry:moodle-oauth',
      ok: false,
      error: { code: 'oauth_access_denied', message: 'The user denied access.' },
    });

    expect(screen.getByRole('alert').textContent).toBe('You chose not to allow Ferry in Moodle, so nothing was connected.');
  });

  it('offers a new-tab link when the popup is blocked, and notices the connection by polling', async () => {
    vi.stubGlobal('open', vi.fn(() => null));
    openConnect();

    fireEvent.click(await screen.findByRole('button', { name: 'Connect with Moodle' }));

    await screen.findByText('Your browser blocked the Moodle window.');
    const link = screen.getByRole('link', { name: 'Open Moodle in a new tab' });
    expect(link.getAttribute('href')).toBe('https://ferry.example.edu/api/moodle-oauth/authorize?ticket=t1');
    expect(link.getAttribute('target')).toBe('_blank');
    // No message ever comes on this path: the next poll (every 2 s) finds the connection.
    await screen.findByRole('heading', { level: 2, name: 'Course files' }, { timeout: 5000 });
  });

  it('closes the blank popup and says why when Ferry cannot start', async () => {
    const popup = fakePopup();
    vi.stubGlobal('open', vi.fn(() => popup));
    openAdminConsole({
      'GET /api/moodle-connection': () => ({ body: notConnected() }),
      'POST /api/moodle-oauth/start': () => ({ status: 503, body: errorBody('moodle_maintenance', 'Moodle is in maintenance.') }),
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Connect with Moodle' }));

    await screen.findByText('Moodle is in maintenance mode. Try again when it is back.');
    expect(popup.close).toHaveBeenCalled();
  });
});

describe('connecting with a token or credentials', () => {
  it('refuses a token of another Moodle user, clearly, next to the field', async () => {
    const api = openAdminConsole({
      'GET /api/moodle-connection': () => ({ body: notConnected() }),
      'POST /api/moodle-connection/token': () => ({ status: 422, body: errorBody('token_user_mismatch', 'Token of teacher1.') }),
    });
    const input = await screen.findByLabelText('Web service token');

    fireEvent.click(screen.getByRole('button', { name: 'Connect with this token' }));
    expect(screen.getByText('Fill in this field.')).toBeTruthy();
    expect(api.calls.some((call) => call.route === 'POST /api/moodle-connection/token')).toBe(false);

    fireEvent.change(input, { target: { value: ' abc123 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect with this token' }));

    await screen.findByText(/belongs to a different Moodle user/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(api.calls.find((call) => call.route === 'POST /api/moodle-connection/token')!.body).toEqual({ token: 'abc123' });
  });

  it('treats a refused pasted token as a form error, not as a lost connection', async () => {
    openAdminConsole({
      'GET /api/moodle-connection': () => ({ body: notConnected() }),
      'POST /api/moodle-connection/token': () => ({ status: 409, body: errorBody('moodle_token_invalid', 'Invalid token.') }),
    });
    fireEvent.change(await screen.findByLabelText('Web service token'), { target: { value: 'expired' } });

    fireEvent.click(screen.getByRole('button', { name: 'Connect with this token' }));

    await screen.findByText(/Moodle did not accept this token/);
    expect(screen.queryByText('Your Moodle connection expired — reconnect.')).toBeNull();
  });

  it('connects with a token and shows the course files', async () => {
    openAdminConsole({
      ...connectedConsole(),
      'GET /api/moodle-connection': inTurn({ body: notConnected() }, { body: moodleConnection({ method: 'wstoken' }) }),
      'POST /api/moodle-connection/token': () => ({ body: moodleConnection({ method: 'wstoken' }) }),
    });
    fireEvent.change(await screen.findByLabelText('Web service token'), { target: { value: 'good' } });

    fireEvent.click(screen.getByRole('button', { name: 'Connect with this token' }));

    await screen.findByRole('heading', { level: 2, name: 'Course files' });
  });

  it('signs in with credentials where allowed, and empties the password field at once', async () => {
    const api = openAdminConsole({
      'GET /api/moodle-connection': () => ({ body: notConnected({ method: 'credentials', methods: ['credentials', 'wstoken'] }) }),
      'POST /api/moodle-connection/credentials': () => ({ status: 422, body: errorBody('moodle_login_failed', 'Invalid login.') }),
    });
    const username = (await screen.findByLabelText('Moodle username')) as HTMLInputElement;
    const password = screen.getByLabelText('Moodle password') as HTMLInputElement;
    expect(username.autocomplete).toBe('username');
    expect(password.autocomplete).toBe('current-password');
    expect(screen.queryByRole('button', { name: 'Connect with Moodle' })).toBeNull();

    fireEvent.change(username, { target: { value: 'admin' } });
    fireEvent.change(password, { target: { value: 'wrong-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in and connect' }));

    expect(password.value).toBe('');
    await screen.findByText('Moodle did not accept this username and password.');
    expect(api.calls.find((call) => call.route === 'POST /api/moodle-connection/credentials')!.body).toEqual({
      username: 'admin',
      password: 'wrong-password',
    });
  });
});

describe('Moodle failures while browsing files', () => {
  it('goes back to connecting, saying the connection expired, on a 409 from any call', async () => {
    openAdminConsole({
      ...connectedConsole(),
      'GET /api/moodle-connection': inTurn({ body: moodleConnection() }, { body: moodleConnection({ needsReconnect: true }) }),
      'GET /api/courses/2/files': () => ({ status: 409, body: errorBody('moodle_token_invalid', 'Token revoked.') }),
    });

    await screen.findByRole('heading', { level: 2, name: 'Connect to Moodle' });
    expect(screen.getByRole('alert').textContent).toBe('Your Moodle connection expired — reconnect.');
  });

  it('says so in words when Moodle is unreachable, and loads the files on retry', async () => {
    openAdminConsole({
      ...connectedConsole(),
      'GET /api/courses/2/files': inTurn({ status: 502, body: errorBody('moodle_unreachable', 'connect ECONNREFUSED') }, { body: sampleCourseFiles() }),
    });

    await screen.findByText('Ferry could not reach Moodle. Check that the site is up, then try again.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Syllabus.pdf');
  });

  it('searches courses after a pause in typing, and lists the chosen course', async () => {
    const api = openAdminConsole({
      ...connectedConsole(),
      'GET /api/courses?search=phys': () => ({ body: [{ id: 9, shortname: 'PHY1', fullname: 'Physics 1' }] }),
      'GET /api/courses/9/files': () => ({ body: { ...sampleCourseFiles(), course: { id: 9, shortname: 'PHY1', fullname: 'Physics 1' } } }),
      'GET /api/transfers?courseId=9': () => ({ body: [] }),
    });
    const search = await screen.findByLabelText('Find another course');

    fireEvent.change(search, { target: { value: 'p' } });
    fireEvent.change(search, { target: { value: 'ph' } });
    fireEvent.change(search, { target: { value: 'phys' } });
    const results = await screen.findByRole('list', { name: 'Courses found' });
    fireEvent.click(within(results).getByRole('button', { name: 'Physics 1 (PHY1)' }));

    await waitFor(() => expect((screen.getByLabelText('Course') as HTMLSelectElement).value).toBe('9'));
    await waitFor(() => expect(api.calls.map((call) => call.route)).toContain('GET /api/courses/9/files'));
    expect(api.calls.filter((call) => call.route.startsWith('GET /api/courses?search=')).map((call) => call.route)).toEqual([
      'GET /api/courses?search=phys',
    ]);
  });
});

describe('transferring the selected files', () => {
  it('sends the picked files of the course, clears the selection, shows the progress, and reads the files again once done', async () => {
    const stream = fakeEventStream();
    const syllabus = transferItem({ name: 'Syllabus.pdf', fileId: 'id-Syllabus.pdf', size: 2048 });
    const notes = transferItem({ name: 'notes.txt', fileId: 'id-notes.txt', size: 100, path: '/lectures/' });
    const api = openAdminConsole({
      ...connectedConsole(),
      'POST /api/transfers': () => ({ status: 201, body: { id: transferId, status: 'queued', items: [] } }),
      [`GET /api/transfers/${transferId}`]: () => ({ body: transferDetail([syllabus, notes]) }),
      [`GET /api/transfers/${transferId}/events`]: () => stream.respond(),
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select notes.txt' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Syllabus.pdf' }));
    expect(screen.getByText('Files selected: 2 (2.1 KB)')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Transfer selected files' }));

    await screen.findByRole('heading', { level: 3, name: 'Transfer progress' });
    expect(api.calls.find((call) => call.route === 'POST /api/transfers')!.body).toEqual({
      courseId: 2,
      fileIds: ['id-Syllabus.pdf', 'id-notes.txt'],
      conflict: 'skip_identical',
    });
    expect(screen.getByText('No files selected.')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Select Syllabus.pdf' }) as HTMLInputElement).checked).toBe(false);
    const fileListReads = api.calls.filter((call) => call.route === 'GET /api/courses/2/files').length;

    await waitFor(() => expect(stream.openCount).toBe(1));
    const done = transferDetail([
      { ...syllabus, status: 'succeeded' },
      { ...notes, status: 'skipped' },
    ]);
    stream.send('snapshot', snapshotOf(done));
    stream.send('end', { status: 'succeeded' });

    await screen.findByText('Succeeded: 2 of 2 files finished.');
    expect(screen.getByRole('progressbar', { name: 'notes.txt' }).getAttribute('aria-valuenow')).toBe('100');
    await waitFor(() =>
      expect(api.calls.filter((call) => call.route === 'GET /api/courses/2/files').length).toBeGreaterThan(fileListReads),
    );
  });
  it('goes back to connecting when the transfer request finds the Moodle connection gone', async () => {
    openAdminConsole({
      ...connectedConsole(),
      'GET /api/moodle-connection': inTurn({ body: moodleConnection() }, { body: moodleConnection({ needsReconnect: true }) }),
      'POST /api/transfers': () => ({ status: 409, body: errorBody('moodle_token_invalid', 'Token revoked.') }),
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select Syllabus.pdf' }));

    fireEvent.click(screen.getByRole('button', { name: 'Transfer selected files' }));

    await screen.findByRole('heading', { level: 2, name: 'Connect to Moodle' });
    expect(screen.getByRole('alert').textContent).toBe('Your Moodle connection expired — reconnect.');
  });
});

describe('the Moodle connection page', () => {
  it('resets the platform setup only after confirmation, then asks for the setup again', async () => {
    const api = openAdminConsole(
      {
        'GET /api/moodle-connection': inTurn({ body: moodleConnection() }, { body: notConfigured() }),
        'GET /api/platform/moodle-settings': inTurn({ body: configuredSettings() }, { body: moodleSettings() }),
        'DELETE /api/platform/moodle-settings': () => ({ status: 204 }),
      },
      '/app/admin/moodle',
    );
    await screen.findByText('Connected as Admin User (admin).');
    expect(screen.getByText('A secret is stored. Leave this blank to keep it.')).toBeTruthy();
    expect((screen.getByLabelText('Client ID') as HTMLInputElement).value).toBe('ferry');

    fireEvent.click(screen.getByRole('button', { name: 'Reset the Moodle setup…' }));
    expect(api.calls.some((call) => call.route.startsWith('DELETE'))).toBe(false);
    const confirm = screen.getByRole('group', { name: 'Confirm the reset' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, reset' }));

    await waitFor(() => expect(window.location.pathname).toBe('/app/launch'));
    await screen.findByRole('heading', { level: 2, name: 'Set up Moodle for Ferry' });
    expect(api.calls.filter((call) => call.route === 'DELETE /api/platform/moodle-settings')).toHaveLength(1);
  });

  it('keeps the stored client secret when the field is left blank', async () => {
    const api = openAdminConsole(
      {
        'GET /api/moodle-connection': () => ({ body: moodleConnection() }),
        'GET /api/platform/moodle-settings': () => ({ body: configuredSettings() }),
        'PUT /api/platform/moodle-settings': () => ({ body: configuredSettings() }),
      },
      '/app/admin/moodle',
    );

    fireEvent.click(await screen.findByRole('button', { name: 'Save and check' }));

    await screen.findByText('Saved. Moodle answered as expected.');
    const sent = api.calls.find((call) => call.route === 'PUT /api/platform/moodle-settings')!.body as { oauth: object };
    expect(sent.oauth).not.toHaveProperty('clientSecret');
  });

  it('disconnects this admin', async () => {
    const api = openAdminConsole(
      {
        'GET /api/moodle-connection': inTurn({ body: moodleConnection() }, { body: notConnected() }),
        'GET /api/platform/moodle-settings': () => ({ body: configuredSettings() }),
        'DELETE /api/moodle-connection': () => ({ status: 204 }),
      },
      '/app/admin/moodle',
    );

    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect' }));

    await screen.findByText('You are not connected. Open Course files to connect.');
    expect(api.calls.filter((call) => call.route === 'DELETE /api/moodle-connection')).toHaveLength(1);
  });

  it('is only for admins', async () => {
    window.sessionStorage.setItem('ferry.sessionToken', 'token');
    const { token: _token, ...learner } = issuedSession();
    vi.stubGlobal('fetch', fakeApi({ 'GET /api/me': () => ({ body: learner }) }).fetch);
    window.history.replaceState(null, '', '/app/admin/moodle');
    render(<App />);

    await screen.findByRole('heading', { level: 1, name: 'For Moodle administrators' });
  });
});
