import { fireEvent, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody, fakeApi, issuedSession } from '@/testing/fake-api';
import { moodleSettings, notConfigured } from '@/testing/moodle-fixtures';
import type { IssuedSession } from '@/types/api';
import { App } from '../app';

function openFerryAt(url: string) {
  window.history.replaceState(null, '', url);
  return render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

function launchWith(session: IssuedSession) {
  const api = fakeApi({ 'POST /api/session': () => ({ body: session }) });
  vi.stubGlobal('fetch', api.fetch);
  openFerryAt('/app/launch#code=one-time-code');
  return api;
}

function viewOf({ token: _token, ...view }: IssuedSession) {
  return view;
}

describe('the launch route', () => {
  it('trades the code once, even under StrictMode, and greets the learner with their course', async () => {
    const api = launchWith(issuedSession());

    await screen.findByRole('heading', { level: 1, name: 'Hello, Sam Student' });
    expect(screen.getAllByText('Transfer 101').length).toBeGreaterThan(0);
    expect(screen.getByText('Week 1 reading')).toBeTruthy();
    expect(api.calls).toEqual([expect.objectContaining({ route: 'POST /api/session', body: { code: 'one-time-code' } })]);
  });

  it('removes the code from the address bar and keeps the token for this iframe only', async () => {
    launchWith(issuedSession({ token: 'token-from-launch' }));

    await screen.findByRole('heading', { name: 'Hello, Sam Student' });
    expect(window.location.pathname).toBe('/app/launch');
    expect(window.location.hash).toBe('');
    expect(window.sessionStorage.getItem('ferry.sessionToken')).toBe('token-from-launch');
    expect(window.localStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });

  it('restores the session after a reload from the stored token', async () => {
    const session = issuedSession({ token: 'stored-token' });
    window.sessionStorage.setItem('ferry.sessionToken', 'stored-token');
    const api = fakeApi({ 'GET /api/me': () => ({ body: viewOf(session) }) });
    vi.stubGlobal('fetch', api.fetch);

    openFerryAt('/app/launch');

    await screen.findByRole('heading', { name: 'Hello, Sam Student' });
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0].headers.get('authorization')).toBe('Bearer stored-token');
  });

  it('shows the admin console to someone who is both admin and instructor, with an overview page', async () => {
    const session = issuedSession({ user: { name: 'Admin User', roles: ['instructor', 'admin'] } });
    const api = fakeApi({
      'POST /api/session': () => ({ body: session }),
      'GET /api/moodle-connection': () => ({ body: notConfigured() }),
      'GET /api/platform/moodle-settings': () => ({ body: moodleSettings() }),
    });
    vi.stubGlobal('fetch', api.fetch);
    openFerryAt('/app/launch#code=one-time-code');

    await screen.findByRole('heading', { level: 1, name: 'Admin console' });
    expect(screen.getByRole('navigation', { name: 'Admin console' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Course files' }).getAttribute('aria-current')).toBe('page');

    fireEvent.click(screen.getByRole('link', { name: 'Overview' }));

    await screen.findByRole('heading', { level: 2, name: 'Overview' });
    expect(window.location.pathname).toBe('/app/admin/overview');
    expect(screen.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getAllByText('Admin User').length).toBeGreaterThan(0);
    expect(screen.getByText('https://moodle.example.edu')).toBeTruthy();
    expect(api.calls.filter((call) => call.route === 'POST /api/session')).toHaveLength(1);
  });

  it('welcomes an instructor by name', async () => {
    launchWith(issuedSession({ user: { name: 'Ivy Instructor', roles: ['instructor', 'learner'] } }));

    await screen.findByRole('heading', { level: 1, name: 'Welcome, Ivy Instructor' });
    expect(screen.getAllByText('Transfer 101').length).toBeGreaterThan(0);
  });

  it('says so politely when the launch has no course', async () => {
    launchWith(issuedSession({ context: null }));

    await screen.findByRole('heading', { name: 'Hello, Sam Student' });
    expect(screen.getByText('You opened Ferry outside a course, so there is no course to show here.')).toBeTruthy();
  });

  it('speaks Spanish when the launch locale is Spanish', async () => {
    launchWith(issuedSession({ user: { locale: 'es_mx' } }));

    await screen.findByRole('heading', { level: 1, name: 'Hola, Sam Student' });
    expect(screen.getByText('Actividad')).toBeTruthy();
    expect(document.documentElement.lang).toBe('es');
  });
});

describe('a launch that cannot start a session', () => {
  // React reports every error an error boundary catches on the console; here they are expected.
  beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('asks to launch again from Moodle when the code is refused', async () => {
    const api = fakeApi({ 'POST /api/session': () => ({ status: 400, body: errorBody('launch_code_invalid') }) });
    vi.stubGlobal('fetch', api.fetch);

    openFerryAt('/app/launch#code=spent-code');

    await screen.findByRole('heading', { level: 1, name: 'Open the activity again from Moodle' });
    expect(screen.getByText('This launch has already been used or has expired.')).toBeTruthy();
    expect(api.calls).toHaveLength(1);
    expect(window.sessionStorage.getItem('ferry.sessionToken')).toBeNull();
  });

  it('asks to launch again, without calling the api, when there is neither a code nor a token', async () => {
    const api = fakeApi({});
    vi.stubGlobal('fetch', api.fetch);

    openFerryAt('/app/launch');

    await screen.findByRole('heading', { name: 'Open the activity again from Moodle' });
    expect(screen.getByText('There is no Ferry session in this window.')).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });

  it('forgets an expired token and asks to launch again', async () => {
    window.sessionStorage.setItem('ferry.sessionToken', 'old-token');
    vi.stubGlobal('fetch', fakeApi({ 'GET /api/me': () => ({ status: 401, body: errorBody('session_expired') }) }).fetch);

    openFerryAt('/app/launch');

    await screen.findByText('Your Ferry session has expired.');
    expect(window.sessionStorage.getItem('ferry.sessionToken')).toBeNull();
  });

  it('shows a generic error with its code, and loads the page when retried', async () => {
    window.sessionStorage.setItem('ferry.sessionToken', 'token');
    const answers = [{ status: 500, body: errorBody('internal_error') }, { body: viewOf(issuedSession()) }];
    vi.stubGlobal('fetch', fakeApi({ 'GET /api/me': () => answers.shift()! }).fetch);

    openFerryAt('/app/launch');

    await screen.findByRole('heading', { name: 'Something went wrong' });
    expect(screen.getByText('Error code: internal_error')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Hello, Sam Student' });
  });
});

describe('the deep linking route', () => {
  it('shows who asked for content, and for which course', async () => {
    const session = issuedSession({ user: { name: 'Ivy Instructor', roles: ['instructor'] }, resourceLink: null });
    vi.stubGlobal('fetch', fakeApi({ 'POST /api/session': () => ({ body: session }) }).fetch);

    openFerryAt('/app/deep-link#code=deep-link-code');

    await screen.findByRole('heading', { level: 1, name: 'Add Ferry content to the course' });
    expect(screen.getByText('Moodle asked Ferry for content to add to Transfer 101.')).toBeTruthy();
    expect(screen.getAllByText('Ivy Instructor').length).toBeGreaterThan(0);
    expect(window.location.hash).toBe('');
  });
});
