import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ferry/errors';
import { FakeMoodle, fixture, fixtureHead, sendJson, type RecordedRequest } from './fake-moodle';
import { openMoodleFileStream } from './moodle-file-stream';
import { MoodleWsClient } from './moodle-ws.client';
import { defaultMoodleWsOptions } from './moodle-ws.options';

const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const download = fixtureHead('pluginfile-download.headers.txt');
const partial = fixtureHead('pluginfile-range.headers.txt');
const fileSize = Number(download.headers.find(([name]) => name === 'Content-Length')?.[1]);
const file = Buffer.alloc(fileSize, 0).map((_, index) => index % 251);
const filePath = '/webservice/pluginfile.php/12/mod_resource/content/0/lecture-notes.pdf';

/** Answers like Moodle's pluginfile.php, with the captured headers, honouring `Range: bytes=N-`. */
function servePluginfile(req: RecordedRequest, res: import('node:http').ServerResponse): void {
  const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? NaN);
  if (Number.isNaN(start)) {
    res.writeHead(download.status, download.headers.flat());
    res.end(file);
    return;
  }
  res.writeHead(partial.status, [
    ...partial.headers.flat(),
    'Content-Range',
    `bytes ${start}-${file.length - 1}/${file.length}`,
    'Content-Length',
    String(file.length - start),
  ]);
  res.end(file.subarray(start));
}

async function sha1(body: Readable): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha1');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), bytes };
}

describe(openMoodleFileStream.name, () => {
  let moodle: FakeMoodle;
  let storage: FakeMoodle;
  let sut: MoodleWsClient;
  let fileurl: string;

  beforeAll(async () => {
    moodle = await FakeMoodle.start();
    storage = await FakeMoodle.start('localhost');
  });
  afterAll(async () => {
    await moodle.close();
    await storage.close();
  });
  beforeEach(() => {
    moodle.reset();
    storage.reset();
    sut = new MoodleWsClient({ moodleUrl: moodle.url, token }, { ...defaultMoodleWsOptions, downloadHeadersTimeoutMs: 300 });
    fileurl = `${moodle.url}${filePath}?forcedownload=1`;
  });

  it('adds the token to the pluginfile URL and streams the whole file with its headers', async () => {
    moodle.handle = servePluginfile;

    const stream = await sut.openFileStream(fileurl);

    expect(stream).toMatchObject({
      status: 200,
      contentLength: 5242880,
      contentRange: null,
      etag: '"bcf813681ac9f5ad707f3ab47577d6bb1e97d0a0"',
      contentType: 'application/pdf',
      acceptRanges: true,
    });
    await expect(sha1(stream.body)).resolves.toEqual({ hash: createHash('sha1').update(file).digest('hex'), bytes: fileSize });
    const [request] = moodle.requests;
    expect(request.url.pathname).toBe(filePath);
    expect(request.url.searchParams.get('token')).toBe(token);
    expect(request.url.searchParams.get('forcedownload')).toBe('1');
    expect(request.headers.range).toBeUndefined();
  });

  it('resumes with a Range request and reports the 206 range', async () => {
    moodle.handle = servePluginfile;

    const stream = await sut.openFileStream(fileurl, { range: { start: 1_000_000 } });

    expect(moodle.requests[0].headers.range).toBe('bytes=1000000-');
    expect(stream).toMatchObject({
      status: 206,
      contentLength: fileSize - 1_000_000,
      contentRange: { start: 1_000_000, end: fileSize - 1, total: fileSize },
    });
    await expect(sha1(stream.body)).resolves.toEqual({
      hash: createHash('sha1').update(file.subarray(1_000_000)).digest('hex'),
      bytes: fileSize - 1_000_000,
    });
  });

  it('refuses a 206 that starts at another byte than asked', async () => {
    moodle.handle = (_req, res) =>
      res.writeHead(206, { 'content-range': `bytes 0-9/${fileSize}`, 'content-disposition': 'inline' }).end(file.subarray(0, 10));

    await expect(sut.openFileStream(fileurl, { range: { start: 500 } })).rejects.toMatchObject({ code: ErrorCode.MoodleError });
  });

  it('follows a redirect to another origin without the token', async () => {
    moodle.handle = (_req, res) =>
      res.writeHead(302, { location: `${storage.url}/bucket/bcf8136?token=${token}&sig=s3cr3t` }).end();
    storage.handle = servePluginfile;

    const stream = await sut.openFileStream(fileurl, { range: { start: 10 } });

    await expect(sha1(stream.body)).resolves.toMatchObject({ bytes: fileSize - 10 });
    expect(moodle.requests[0].url.searchParams.get('token')).toBe(token);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0].url.searchParams.get('sig')).toBe('s3cr3t');
    expect(storage.requests[0].headers.range).toBe('bytes=10-');
    expect(JSON.stringify({ url: storage.requests[0].url, headers: storage.requests[0].headers })).not.toContain(token);
  });

  it('refuses a fileurl on another origin before any request', async () => {
    const foreign = `${storage.url}${filePath}`;

    await expect(sut.openFileStream(foreign)).rejects.toMatchObject({ code: ErrorCode.ForeignFileUrl });
    expect(storage.requests).toHaveLength(0);
    expect(moodle.requests).toHaveLength(0);
  });

  it.each([200, 403])('maps pluginfile’s invalid token answer (HTTP %i) to moodle_token_invalid', async (status) => {
    moodle.handle = (_req, res) => sendJson(res, fixture('pluginfile-invalid-token.body.json'), status);

    await expect(sut.openFileStream(fileurl)).rejects.toMatchObject({
      code: ErrorCode.MoodleTokenInvalid,
      details: { moodleErrorcode: 'invalidtoken' },
    });
  });

  it('maps a file Moodle no longer has to not_found', async () => {
    moodle.handle = (_req, res) =>
      sendJson(res, '{"error":"Sorry, the requested file could not be found","errorcode":"filenotfound","stacktrace":null,"debuginfo":null,"reproductionlink":null}', 404);

    await expect(sut.openFileStream(fileurl)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('streams a stored JSON file rather than reading it as an error', async () => {
    const stored = '{"errorcode":"looks-like-an-error","error":"but it is course content"}';
    moodle.handle = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-disposition': 'inline; filename="data.json"' }).end(stored);

    const stream = await sut.openFileStream(fileurl);

    await expect(sha1(stream.body)).resolves.toMatchObject({ bytes: stored.length });
  });

  it('calls a download that never starts moodle_unreachable', async () => {
    moodle.handle = () => undefined;

    await expect(sut.openFileStream(fileurl)).rejects.toMatchObject({ code: ErrorCode.MoodleUnreachable });
  });
});
