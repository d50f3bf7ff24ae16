import { All, Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PlatformEmulator } from '../platform-emulator';
import { GeneratedContent } from './generated-content';
import { AJAX_MESSAGES, sendAjaxError } from './moodle-errors';
import { SERVICE_FUNCTIONS } from './moodle-site';
import { accessException, invalidTokenException, maintenanceException, MoodleWsException } from './ws-functions';

type Fields = Record<string, string | undefined>;

/** Moodle's REST server (webservice/rest/server.php) and file server for web service clients (webservice/pluginfile.php). */
@Controller('webservice')
export class WebserviceController {
  constructor(private readonly emulator: PlatformEmulator) {}

  /** Reads wstoken, wsfunction and the function's parameters from the POST body or the query string, like optional_param. */
  @All('rest/server.php')
  rest(@Req() request: Request, @Res() response: Response): void {
    const { moodle } = this.emulator;
    const fault = moodle.site.currentFault;
    if (fault?.kind === 'ws_disabled') {
      response.status(403).end();
      return;
    }
    const params = { ...(request.query as Fields), ...((request.body ?? {}) as Fields) } as Record<string, string>;
    response.set('Cache-Control', 'private, must-revalidate, pre-check=0, post-check=0, max-age=0');
    try {
      if (fault?.kind === 'maintenance') throw maintenanceException();
      const token = moodle.site.liveToken(params.wstoken);
      const user = token && moodle.site.findUser(token.userId);
      if (!token || !user) throw invalidTokenException();
      const wsfunction = params.wsfunction ?? '';
      if (!(SERVICE_FUNCTIONS as readonly string[]).includes(wsfunction)) {
        throw new MoodleWsException('dml_missing_record_exception', 'invalidrecord', "Can't find data record in database table external_functions.");
      }
      if (!token.functions.includes(wsfunction)) throw accessException();
      const implementation = moodle.ws.implemented[wsfunction];
      if (!implementation) {
        throw new MoodleWsException('coding_exception', 'codingerror', `Coding error detected, it must be fixed by a programmer: the platform emulator does not implement ${wsfunction}`);
      }
      this.sendJson(response, implementation({ token, user, params }));
    } catch (error) {
      if (!(error instanceof MoodleWsException)) throw error;
      this.sendJson(response, error.toJSON());
    }
  }

  @Get('pluginfile.php/*path')
  async pluginfile(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { site } = this.emulator.moodle;
    const fault = site.currentFault;
    if (fault?.kind === 'ws_disabled') return sendAjaxError(response, 'accessexception', AJAX_MESSAGES.accessexception);
    if (fault?.kind === 'maintenance') return sendAjaxError(response, 'sitemaintenance', AJAX_MESSAGES.sitemaintenance);
    const tokenParam = request.query.token;
    if (typeof tokenParam !== 'string' || tokenParam === '') {
      return sendAjaxError(response, 'missingparam', AJAX_MESSAGES.missingparam('token'));
    }
    const token = site.liveToken(tokenParam);
    const user = token && site.findUser(token.userId);
    if (!token || !user) return sendAjaxError(response, 'invalidtoken', AJAX_MESSAGES.invalidtoken);

    const rawPath = request.path.slice('/webservice/pluginfile.php'.length);
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(rawPath);
    } catch {
      decodedPath = rawPath;
    }
    const located = site.findFile(decodedPath);
    if (!located) return sendAjaxError(response, 'filenotfound', AJAX_MESSAGES.filenotfound, 404);
    if (!site.canAccess(user, located.course)) return sendAjaxError(response, 'requireloginerror', AJAX_MESSAGES.requireloginerror);

    const { file } = located;
    const common = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'range',
      'Access-Control-Expose-Headers': 'Content-Range',
      // file_pluginfile() is called with forcedownload 0 here, so Moodle sends inline whatever the URL says.
      // PHP writes the UTF-8 bytes of the name as they are; latin1 makes Node do the same.
      'Content-Disposition': Buffer.from(`inline; filename="${file.filename}"`, 'utf8').toString('latin1'),
      'Cache-Control': 'private, max-age=21600, no-transform',
      Expires: new Date(Date.now() + 21600 * 1000).toUTCString(),
      Pragma: '',
    };
    if (!(file.body instanceof GeneratedContent)) {
      // A page's index.html: send_file() of a string, no Etag and no byte ranges.
      response.status(200).set(common).type('text/html; charset=utf-8').send(file.body.html);
      return;
    }

    const wrongSize = fault?.kind === 'wrong_size' && sameFile(fault.fileurl, rawPath) ? fault.actualSize : undefined;
    const content = wrongSize === undefined ? file.body : new GeneratedContent(file.body.seed, wrongSize);
    const etag = `"${await file.body.contenthash()}"`;
    const headers = { ...common, 'Content-Type': file.mimetype, Etag: etag, 'Accept-Ranges': 'bytes', 'Last-Modified': new Date(file.timemodified * 1000).toUTCString() };
    if (request.headers['if-none-match'] === etag) {
      response.status(304).set(headers).end();
      return;
    }
    const range = byteRange(request.headers.range, content.size);
    const start = range?.start ?? 0;
    const end = range?.end ?? content.size - 1;
    const length = Math.max(0, end - start + 1);
    response.status(range ? 206 : 200).set(headers).set('Content-Length', String(length));
    if (range) response.set('Content-Range', `bytes ${start}-${end}/${content.size}`);

    const truncate = fault?.kind === 'truncate_download' ? site.consumeFault(fault) : undefined;
    if (length === 0) {
      response.end();
      return;
    }
    const body = content.stream(start, end);
    if (truncate) {
      this.streamTruncated(body, response, truncate.afterBytes);
      return;
    }
    body.pipe(response);
    response.on('close', () => body.destroy());
  }

  private streamTruncated(body: NodeJS.ReadableStream & { destroy(): void }, response: Response, afterBytes: number): void {
    let sent = 0;
    const cut = () => {
      body.destroy();
      response.socket?.destroy();
    };
    if (afterBytes <= 0) {
      response.flushHeaders();
      cut();
      return;
    }
    body.on('data', (chunk: Buffer) => {
      const room = afterBytes - sent;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      sent += part.length;
      const flushed = response.write(part);
      if (sent >= afterBytes) {
        // Let the bytes written so far reach the client before the connection drops.
        response.socket?.end();
        setImmediate(cut);
      } else if (!flushed) {
        body.pause();
        response.once('drain', () => body.resume());
      }
    });
    body.on('end', () => response.end());
  }

  private sendJson(response: Response, body: unknown): void {
    response.status(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
}

/** readfile_accel's one-range byte serving: `a-b`, `a-`, `-n`; an invalid range means the whole file. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || size === 0 || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return end < start ? undefined : { start, end };
}

function sameFile(fileurl: string, rawPath: string): boolean {
  try {
    return decodeURIComponent(new URL(fileurl).pathname) === decodeURIComponent(`/webservice/pluginfile.php${rawPath}`);
  } catch {
    return false;
  }
}
