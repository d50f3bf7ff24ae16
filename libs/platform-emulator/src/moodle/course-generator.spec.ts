import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformEmulator } from '../platform-emulator.types';
import { startPlatformEmulator } from '../start-platform-emulator';
import { CourseGenerator } from './course-generator';
import { SiteIds } from './course-model';
import { GeneratedContent } from './generated-content';

const TOOL = { loginUrl: 'http://tool.example/lti/login', launchUrl: 'http://tool.example/lti/launch', jwksUrl: 'http://tool.example/jwks' };
const MiB = 1024 * 1024;
const COURSE = { id: 9, shortname: 'BIG', fullname: 'Big course' };

type Section = { section: number; name: string; modules: Array<{ modname: string; contents?: Array<Record<string, unknown>> }> };

describe(CourseGenerator.name, () => {
  it('is deterministic from the seed and different across seeds', () => {
    const spec = { sections: 3, filesPerSection: 6, folders: true, unicodeNames: true, seed: 5 };
    const listing = (seed: number) =>
      new CourseGenerator(new SiteIds())
        .generate(COURSE, { ...spec, seed }, ['2'])
        .sections.flatMap((section) => section.modules.flatMap((module) => module.entries))
        .map((entry) => (entry.type === 'file' ? `${entry.file.filepath}${entry.file.filename}:${(entry.file.body as GeneratedContent).size}` : entry.type));

    expect(listing(5)).toEqual(listing(5));
    expect(listing(5)).not.toEqual(listing(6));
    expect(listing(5)).toHaveLength(18);
    expect(listing(5)).toContainEqual(expect.stringMatching(/^\/(slides|sub\/dir|readings\/week notes)\/.+/));
    expect(listing(5).some((name) => name.includes('Café — résumé (v2).pdf'))).toBe(true);
  });
});

describe(GeneratedContent.name, () => {
  it('gives every 1 MiB block its own bytes, and any range the same bytes as the whole', async () => {
    const sut = new GeneratedContent('seed', 3 * MiB + 17);
    const whole = Buffer.concat([...sut.chunks(0, sut.size - 1)]);

    expect(whole.length).toBe(sut.size);
    expect(whole.subarray(0, MiB).equals(whole.subarray(MiB, 2 * MiB))).toBe(false);
    expect(Buffer.concat([...sut.chunks(MiB - 5, 2 * MiB + 5)]).equals(whole.subarray(MiB - 5, 2 * MiB + 6))).toBe(true);
    await expect(sut.sha256()).resolves.toBe(createHash('sha256').update(whole).digest('hex'));
    await expect(sut.contenthash()).resolves.toBe(createHash('sha1').update(whole).digest('hex'));
    expect(Buffer.concat([...new GeneratedContent('seed', 100).chunks(0, 99)]).equals(whole.subarray(0, 100))).toBe(true);
  });

  it('derives a stable 40-hex contenthash for files over 64 MiB without reading them', async () => {
    const big = new GeneratedContent('big', 2 * 1024 * MiB);
    const started = performance.now();
    const hash = await big.contenthash();
    expect(hash).toMatch(/^[a-f0-9]{40}$/);
    await expect(new GeneratedContent('big', 2 * 1024 * MiB).contenthash()).resolves.toBe(hash);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('generated courses over HTTP', () => {
  let sut: RunningPlatformEmulator;
  let token: string;

  beforeAll(async () => {
    sut = await startPlatformEmulator({
      port: 0,
      tool: TOOL,
      moodle: {
        course: { sections: 50, filesPerSection: 100, folders: true, unicodeNames: true, extras: true, seed: 42 },
        extraCourses: [{ ...COURSE, content: { sections: 1, filesPerSection: 1, fileSize: 256 * MiB, seed: 3 } }],
      },
    });
    token = sut.moodle.createToken('admin');
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('lists a 5,000-file course quickly', async () => {
    const started = performance.now();
    const response = await fetch(sut.moodle.wsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wstoken: token, wsfunction: 'core_course_get_contents', moodlewsrestformat: 'json', courseid: '2' }),
    });
    const sections = (await response.json()) as Section[];
    const elapsed = performance.now() - started;

    const files = sections.flatMap((section) =>
      section.modules.filter((module) => module.modname === 'resource' || module.modname === 'folder').flatMap((module) => module.contents ?? []),
    );
    expect(sections).toHaveLength(51);
    expect(files.filter((file) => file.isexternalfile === false)).toHaveLength(5000);
    expect(sut.moodle.files()).toHaveLength(5000);
    expect(new Set(files.map((file) => file.fileurl)).size).toBe(files.length);
    expect(sections[0].modules.map((module) => module.modname)).toEqual(expect.arrayContaining(['page', 'book', 'url', 'resource', 'lti']));
    expect(elapsed).toBeLessThan(1500);
  });

  it('streams a 256 MiB file with bounded memory, its SHA-256 equal to files()[i].sha256()', async () => {
    const [file] = sut.moodle.files(COURSE.id);
    expect(file.filesize).toBe(256 * MiB);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;

    const response = await fetch(`${file.fileurl}&token=${token}`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
      if (bytes % (16 * MiB) < chunk.length) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }

    expect(bytes).toBe(256 * MiB);
    await expect(file.sha256()).resolves.toBe(hash.digest('hex'));
    expect(peakRss - rssBefore).toBeLessThan(128 * MiB);
  }, 60_000);
});
