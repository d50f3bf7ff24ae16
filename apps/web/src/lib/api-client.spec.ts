import { describe, expect, it, vi } from 'vitest';
import { fakeApi, errorBody } from '@/testing/fake-api';
import { ApiError, apiClient } from './api-client';
import { saveSessionToken } from './session-token';

describe('apiClient', () => {
  it('turns an error answer into an ApiError with its status, code and message', async () => {
    const api = fakeApi({
      'POST /api/session': () => ({ status: 400, body: errorBody('launch_code_invalid', 'This code is not valid.') }),
    });
    vi.stubGlobal('fetch', api.fetch);

    const failure = apiClient.post('/api/session', { code: 'spent' });

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 400, code: 'launch_code_invalid', message: 'This code is not valid.' });
  });

  it('gives an answer without the error shape a generic code and keeps its status', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })));

    await expect(apiClient.get('/api/me')).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });

  it('reports no answer at all as status 0, network_error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));

    await expect(apiClient.get('/api/me')).rejects.toMatchObject({ status: 0, code: 'network_error', message: 'Failed to fetch' });
  });

  it('sends the session token as a bearer token once there is one', async () => {
    const api = fakeApi({ 'GET /api/me': () => ({ body: { ok: true } }) });
    vi.stubGlobal('fetch', api.fetch);

    await apiClient.get('/api/me');
    saveSessionToken('token-42');
    await expect(apiClient.get('/api/me')).resolves.toEqual({ ok: true });

    expect(api.calls.map((call) => call.headers.get('authorization'))).toEqual([null, 'Bearer token-42']);
    expect(api.calls[1].headers.get('accept')).toBe('application/json');
  });

  it('hands over a non-JSON answer as it is, with the bearer token and the type asked for', async () => {
    const api = fakeApi({
      'GET /api/transfers/t1/receipt.csv': () => ({ raw: 'a,b\n', headers: { 'Content-Type': 'text/csv' } }),
      'GET /api/transfers/t2/receipt.csv': () => ({ status: 404, body: errorBody('transfer_not_found', 'No such transfer.') }),
    });
    vi.stubGlobal('fetch', api.fetch);
    saveSessionToken('token-42');

    const response = await apiClient.getResponse('/api/transfers/t1/receipt.csv', { accept: 'text/csv' });

    await expect(response.text()).resolves.toBe('a,b\n');
    expect(api.calls[0].headers.get('authorization')).toBe('Bearer token-42');
    expect(api.calls[0].headers.get('accept')).toBe('text/csv');
    await expect(apiClient.getResponse('/api/transfers/t2/receipt.csv', { accept: 'text/csv' })).rejects.toMatchObject({
      status: 404,
      code: 'transfer_not_found',
    });
  });
});
