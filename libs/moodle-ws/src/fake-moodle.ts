import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/** Test helper: real Moodle 5.0 captures, copied from the team's shared fixtures so a clean clone has them. */
export const fixturesDir = resolve(__dirname, 'fixtures');

export function fixture(name: string): string {
  return readFileSync(resolve(fixturesDir, name), 'utf8');
}

/** A captured response head (`HTTP/1.1 200 OK` + header lines) as status and headers. */
export function fixtureHead(name: string): { status: number; headers: Array<[string, string]> } {
  const [statusLine, ...lines] = fixture(name).split(/\r?\n/).filter((line) => line !== '');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { status: Number(statusLine.split(' ')[1]), headers };
}

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  form: URLSearchParams;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void;

/** Test helper: a local HTTP server on a free port that records every request and answers through `handle`. */
export class FakeMoodle {
  readonly requests: RecordedRequest[] = [];
  handle: FakeHandler = (_request, response) => response.end();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(host = '127.0.0.1'): Promise<FakeMoodle> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, host, done));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeMoodle(server, `http://${host}:${port}`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          url: new URL(req.url ?? '/', fake.url),
          headers: req.headers,
          body,
          form: new URLSearchParams(body),
        };
        fake.requests.push(recorded);
        fake.handle(recorded, res);
      });
    });
    return fake;
  }

  reset(): void {
    this.requests.length = 0;
    this.handle = (_request, response) => response.end();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

export function sendJson(response: ServerResponse, body: string, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}
