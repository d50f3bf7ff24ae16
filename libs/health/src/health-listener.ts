import { createServer, type Server } from 'node:http';
import type { HealthService } from './health.service';

/**
 * The worker has no HTTP API; this tiny listener answers `GET /healthz` for orchestrators
 * (docker compose, Kubernetes probes) and nothing else.
 */
export async function startHealthListener(health: HealthService, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/healthz') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'not_found', message: 'Only GET /healthz is served here.' } }));
      return;
    }
    health.check().then(
      (report) => {
        response.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(report));
      },
      () => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: false }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
