import { vi } from 'vitest';
import type { IssuedSession } from '@/types/api';

export interface FakeResponse {
  status?: number;
  body?: unknown;
  /** Sent as it is instead of `body` as JSON: a CSV file, a stream of server-sent events. */
  raw?: BodyInit;
  headers?: Record<string, string>;
}

/** An answer, or a promise of one for a test that looks at the page while the request is pending. */
type Route = (request: { body: unknown; headers: Headers }) => FakeResponse | Promise<FakeResponse>;

/**
 * A stand-in for `fetch` that answers `'METHOD /path'` routes and fails the test on any other
 * call. Install it with `vi.stubGlobal('fetch', api.fetch)`; `api.calls` records every request.
 */
export function fakeApi(routes: Record<string, Route>) {
  const calls: Array<{ route: string; body: unknown; headers: Headers }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const route = `${init.method ?? 'GET'} ${String(input)}`;
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ route, body, headers });
    const answer = routes[route];
    if (!answer) throw new Error(`Unexpected request: ${route}`);
    const { status = 200, body: responseBody, raw, headers: responseHeaders } = await answer({ body, headers });
    if (status === 204) return new Response(null, { status });
    if (raw !== undefined) return new Response(raw, { status, headers: responseHeaders });
    return new Response(JSON.stringify(responseBody), {
      status,
      headers: { 'Content-Type': 'application/json', ...responseHeaders },
    });
  });
  return { fetch, calls };
}

/**
 * A server-sent event stream that a test writes to as the server would. Every request gets a
 * stream of its own (StrictMode opens one and aborts it at once); writes go to the open ones.
 */
export function fakeEventStream() {
  const encoder = new TextEncoder();
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let opened = 0;
  const write = (text: string) => {
    for (const controller of open) controller.enqueue(encoder.encode(text));
  };
  return {
    /** The route's answer: a new stream. */
    respond: (): FakeResponse => {
      let own: ReadableStreamDefaultController<Uint8Array>;
      const raw = new ReadableStream<Uint8Array>({
        start: (controller) => {
          own = controller;
          open.add(controller);
          opened += 1;
        },
        cancel: () => {
          open.delete(own);
        },
      });
      return { raw, headers: { 'Content-Type': 'text/event-stream' } };
    },
    write,
    send: (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    /** The server ends the response. */
    close: () => {
      for (const controller of open) controller.close();
      open.clear();
    },
    /** Streams still being read. */
    get openCount() {
      return open.size;
    },
    get openedCount() {
      return opened;
    },
  };
}

export function errorBody(code: string, message = `Failed with ${code}.`, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** Sam Student's launch from Transfer 101, with whatever a test changes. */
export function issuedSession(overrides: { user?: Partial<IssuedSession['user']> } & Partial<Omit<IssuedSession, 'user'>> = {}): IssuedSession {
  const { user, ...rest } = overrides;
  return {
    token: 'session-token-1',
    expiresAt: '2030-01-01T00:00:00.000Z',
    user: { id: 'u1', name: 'Sam Student', email: 'sam@example.edu', roles: ['learner'], locale: 'en', ...user },
    platform: { id: 'p1', name: 'Demo Moodle', issuer: 'https://moodle.example.edu' },
    context: { id: 'c1', label: 'TR101', title: 'Transfer 101' },
    resourceLink: { id: 'r1', title: 'Week 1 reading' },
    activityId: null,
    ...rest,
  };
}
