import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ErrorCode } from '@ferry/errors';
import {
  foreignFileUrlError,
  isMoodleErrorBody,
  moodleErrorToFerryError,
  moodleUnreachableError,
  MoodleWsError,
} from './moodle-ws.errors';

export interface OpenFileStreamOptions {
  /** Resume from this byte: sends `Range: bytes=<start>-`. */
  range?: { start: number };
  /** Aborts the request and, later, the body stream. */
  signal?: AbortSignal;
}

/**
 * An open download. `status` is 206 when a range was honoured; 200 means the whole file from byte 0
 * (also when a range was asked for and the server ignored it), so the caller must start over.
 */
export interface MoodleFileStream {
  status: 200 | 206;
  body: Readable;
  contentLength: number | null;
  contentRange: { start: number; end: number; total: number | null } | null;
  /** Moodle sends the file's SHA-1 content hash, quoted. */
  etag: string | null;
  contentType: string | null;
  acceptRanges: boolean;
}

export interface FileStreamContext {
  moodleOrigin: string;
  token: string;
  headersTimeoutMs: number;
  maxRedirects: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Streams a `webservice/pluginfile.php` URL. The token rides in the query string (pluginfile.php reads
 * only `token`), so it goes to the Moodle origin and nowhere else: a fileurl on another origin is
 * refused before any request, and redirects are followed by hand, stripping `token` on any hop that
 * leaves the Moodle origin (object storage behind tool_objectfs, X-Sendfile setups).
 */
export async function openMoodleFileStream(
  fileurl: string,
  context: FileStreamContext,
  { range, signal }: OpenFileStreamOptions = {},
): Promise<MoodleFileStream> {
  let url = parseFileUrl(fileurl, context.moodleOrigin);
  if (url.origin !== context.moodleOrigin) throw foreignFileUrlError(url.origin, context.moodleOrigin);

  // The timeout covers waiting for headers only; a large body then flows for as long as it needs.
  const headersTimeout = new AbortController();
  const timer = setTimeout(() => headersTimeout.abort(), context.headersTimeoutMs);
  const fetchSignal = signal ? AbortSignal.any([signal, headersTimeout.signal]) : headersTimeout.signal;
  const headers: Record<string, string> = range ? { range: `bytes=${range.start}-` } : {};

  try {
    for (let hop = 0; ; hop++) {
      const fromMoodle = url.origin === context.moodleOrigin;
      const target = new URL(url);
      if (fromMoodle) target.searchParams.set('token', context.token);
      else target.searchParams.delete('token');

      let response: Response;
      try {
        response = await fetch(target, { headers, signal: fetchSignal, redirect: 'manual' });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (headersTimeout.signal.aborted) {
          throw moodleUnreachableError(`the file download did not start within ${context.headersTimeoutMs} ms`);
        }
        throw moodleUnreachableError('the file download failed', { cause: networkErrorCode(error) });
      }

      if (REDIRECTS.has(response.status)) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location) throw moodleUnreachableError('Moodle redirected the download nowhere', { httpStatus: response.status });
        if (hop >= context.maxRedirects) throw moodleUnreachableError('the download redirected too many times');
        url = new URL(location, target);
        continue;
      }
      if (!response.ok || (fromMoodle && looksLikeMoodleError(response))) throw await fileError(response);
      return toFileStream(response, range);
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseFileUrl(fileurl: string, moodleOrigin: string): URL {
  try {
    return new URL(fileurl);
  } catch {
    throw foreignFileUrlError('(not a URL)', moodleOrigin);
  }
}

// pluginfile.php is an AJAX_SCRIPT: its exceptions come as JSON, sometimes with HTTP 200. A stored file,
// even a .json one, always comes with Content-Disposition (send_stored_file), an error never does.
function looksLikeMoodleError(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.includes('application/json') && !response.headers.has('content-disposition');
}

async function fileError(response: Response): Promise<MoodleWsError> {
  const text = await readLimitedText(response);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isMoodleErrorBody(body)) return moodleErrorToFerryError(body);
  if (response.status >= 500) {
    return moodleUnreachableError('the file server answered with an error', { httpStatus: response.status });
  }
  return new MoodleWsError(ErrorCode.MoodleError, `The file download answered HTTP ${response.status}.`, {
    httpStatus: response.status,
  });
}

async function readLimitedText(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < ERROR_BODY_LIMIT) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel();
  return Buffer.concat(chunks).toString('utf8');
}

async function toFileStream(response: Response, range: OpenFileStreamOptions['range']): Promise<MoodleFileStream> {
  const contentRange = parseContentRange(response.headers.get('content-range'));
  if (response.status === 206 && (!contentRange || contentRange.start !== (range?.start ?? 0))) {
    await response.body?.cancel();
    throw new MoodleWsError(ErrorCode.MoodleError, 'The file download resumed at the wrong byte.', {
      requestedStart: range?.start ?? 0,
      contentRange: response.headers.get('content-range'),
    });
  }
  const length = response.headers.get('content-length');
  return {
    status: response.status === 206 ? 206 : 200,
    body: response.body ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) : Readable.from([]),
    contentLength: length === null ? null : Number(length),
    contentRange,
    etag: response.headers.get('etag'),
    contentType: response.headers.get('content-type'),
    acceptRanges: response.headers.get('accept-ranges') === 'bytes',
  };
}

function parseContentRange(header: string | null): MoodleFileStream['contentRange'] {
  const match = header?.match(/^bytes (\d+)-(\d+)\/(\d+|\*)$/);
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? null : Number(match[3]) };
}

export function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.name : undefined);
}
