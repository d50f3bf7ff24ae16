import { readSessionToken } from './session-token';

/**
 * Every failed API call becomes one of these, whatever went wrong: an error answer from Ferry
 * (CONTRACT.md's `{ "error": { code, message } }`), another HTTP failure, or no answer at all
 * (`status` 0, `network_error`). Callers decide what to show; the client never toasts or redirects.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details`, as sent: per-field messages of `validation_failed`, the failing `part`… */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown, ...codes: string[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** What the caller reads: JSON unless it asks for a file or an event stream. */
  accept?: string;
}

type JsonOptions = Omit<RequestOptions, 'body' | 'accept'>;

/** Sends one request with the bearer token; any answer but a 2xx becomes an ApiError. */
async function send(method: string, path: string, { body, signal, accept = 'application/json' }: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const token = readSessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }

  if (!response.ok) throw await toApiError(response);
  return response;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'invalid_response', `The answer to ${method} ${path} is not JSON.`);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const fallback = new ApiError(response.status, 'http_error', `HTTP ${response.status} ${response.statusText}`.trim());
  try {
    const { error } = (await response.json()) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (typeof error?.code !== 'string') return fallback;
    const message = typeof error.message === 'string' ? error.message : fallback.message;
    return new ApiError(response.status, error.code, message, error.details);
  } catch {
    return fallback;
  }
}

export const apiClient = {
  get: <T>(path: string, options?: JsonOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: JsonOptions) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: JsonOptions) =>
    request<T>('PUT', path, { ...options, body }),
  delete: <T = void>(path: string, options?: JsonOptions) => request<T>('DELETE', path, options),
  /** The answer itself, for what is not JSON: a file to save, a stream of server-sent events. */
  getResponse: (path: string, options: Required<Pick<RequestOptions, 'accept'>> & JsonOptions) => send('GET', path, options),
};
