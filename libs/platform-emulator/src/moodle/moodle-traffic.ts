import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MoodleSite } from './moodle-site';
import type { EmulatorFault, EmulatorRequest } from './moodle.types';

type Area = 'ws' | 'pluginfile' | 'oauth';

function areaOf(path: string): Area | undefined {
  if (path === '/webservice/rest/server.php') return 'ws';
  if (path.startsWith('/webservice/pluginfile.php/')) return 'pluginfile';
  if (path.startsWith('/local/oauthmcp/') || path === '/login/token.php' || path === '/.well-known/oauth-authorization-server') return 'oauth';
  return undefined;
}

function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Records every request (path without query, so no token) and applies the site-wide faults that act
 * before Moodle's scripts run: a dead server, HTTP errors from a proxy, slowness.
 */
export function moodleTraffic(site: MoodleSite): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const area = areaOf(request.path);
    const record: EmulatorRequest = { method: request.method, path: request.path, status: 0, at: Date.now() };
    if (area === 'ws') record.wsfunction = field(request.body, 'wsfunction') ?? field(request.query, 'wsfunction');
    if (request.path === '/local/oauthmcp/token.php') record.grantType = field(request.body, 'grant_type');
    if (request.headers.range) record.range = request.headers.range;
    site.requests.push(record);
    response.on('close', () => {
      record.status = response.headersSent ? response.statusCode : 0;
    });

    const fault = site.currentFault;
    if (!area || !fault) return next();
    if (fault.kind === 'down') {
      request.socket.destroy();
      return;
    }
    if (fault.kind === 'http_error' && appliesTo(fault, area)) {
      site.consumeFault(fault);
      response.status(fault.status).type('html').send(`<!DOCTYPE html><html><body><h1>${fault.status}</h1></body></html>`);
      return;
    }
    if (fault.kind === 'slow') {
      setTimeout(next, fault.ms);
      return;
    }
    next();
  };
}

function appliesTo(fault: Extract<EmulatorFault, { kind: 'http_error' }>, area: Area): boolean {
  return (fault.paths ?? 'all') === 'all' || fault.paths === area;
}
