/**
 * bench/files: a generated course of 5,000 files listed through Ferry (GET /api/courses/:id/files)
 * with the admin's own web service token, the api in its own process. Ferry's own time is the
 * median of the whole request minus the median of the same two web service calls made straight to
 * the emulated Moodle, interleaved with Ferry's so both see the same machine. Memory is the api
 * process's resident set after the runs and its peak.
 * Target (DESIGN.md): under 150 ms of Ferry's own time.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startPlatformEmulator } from '@ferry/platform-emulator';
import { launchAdminSession } from '../../test/support/admin-session';
import { registerPlatform, startApiProcess } from '../support/api-process';
import { createHttpClient, percentile } from '../support/http';

const API_PORT = Number(process.env.BENCH_FILES_API_PORT ?? 3320);
const RUNS = Number(process.env.BENCH_FILES_RUNS ?? 30);
const WARMUP_RUNS = 5;
const COURSE_ID = 2;

function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

export async function runFilesBench(): Promise<void> {
  const api = await startApiProcess(API_PORT);
  const emulator = await startPlatformEmulator({
    port: 0,
    tool: { loginUrl: `${api.url}/lti/login`, launchUrl: `${api.url}/lti/launch`, jwksUrl: `${api.url}/.well-known/jwks.json` },
    moodle: { course: { sections: 50, filesPerSection: 100, folders: true, unicodeNames: true, seed: 5 } },
  });
  const operator = { authorization: `Bearer ${api.operatorToken}`, 'content-type': 'application/json' };
  try {
    const platformId = await registerPlatform(api, emulator);
    const settings = await fetch(`${api.url}/api/platforms/${platformId}/moodle-settings`, {
      method: 'PUT',
      headers: operator,
      body: JSON.stringify({ moodleUrl: emulator.url, method: 'wstoken' }),
    });
    if (!settings.ok) throw new Error(`saving the Moodle settings failed: ${settings.status} ${await settings.text()}`);

    const bearer = await launchAdminSession(api.url, emulator);
    const wstoken = emulator.moodle.createToken('admin');
    const connected = await fetch(`${api.url}/api/moodle-connection/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: wstoken }),
    });
    if (!connected.ok) throw new Error(`connecting the admin failed: ${connected.status} ${await connected.text()}`);

    const ferry = createHttpClient(api.url, 1);
    const moodle = createHttpClient(emulator.url, 2);
    const listThroughFerry = async () => {
      const started = performance.now();
      const response = await ferry.send('GET', `/api/courses/${COURSE_ID}/files`, { headers: { authorization: `Bearer ${bearer}` } });
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`listing answered ${response.status}: ${response.body.slice(0, 200)}`);
      return { ms, files: (JSON.parse(response.body) as { files: unknown[] }).files.length, bytes: response.body.length };
    };
    // The two calls Ferry makes, side by side, as Ferry makes them.
    const callMoodle = (wsfunction: string, params: Record<string, string>) =>
      moodle.send('POST', '/webservice/rest/server.php?moodlewsrestformat=json', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ wstoken, wsfunction, moodlewsrestformat: 'json', ...params }).toString(),
      });
    const listStraightFromMoodle = async () => {
      const started = performance.now();
      await Promise.all([
        callMoodle('core_course_get_courses_by_field', { field: 'id', value: String(COURSE_ID) }),
        callMoodle('core_course_get_contents', { courseid: String(COURSE_ID) }),
      ]);
      return performance.now() - started;
    };

    for (let run = 0; run < WARMUP_RUNS; run += 1) {
      await listThroughFerry();
      await listStraightFromMoodle();
    }
    const totals: number[] = [];
    const moodleTimes: number[] = [];
    let listed = { files: 0, bytes: 0 };
    for (let run = 0; run < RUNS; run += 1) {
      const through = await listThroughFerry();
      totals.push(through.ms);
      listed = through;
      moodleTimes.push(await listStraightFromMoodle());
    }
    ferry.close();
    moodle.close();

    const memory = memoryOf(api.pid);
    const total = median(totals);
    const moodleMs = median(moodleTimes);
    process.stdout.write(`bench/files: ${listed.files} files (${(listed.bytes / 1024).toFixed(0)} KiB of JSON), ${RUNS} listings (api pid ${api.pid})\n`);
    process.stdout.write(`  whole request  median ${total.toFixed(1)} ms, p90 ${percentile([...totals].sort((a, b) => a - b), 90).toFixed(1)} ms\n`);
    process.stdout.write(`  Moodle alone   median ${moodleMs.toFixed(1)} ms\n`);
    process.stdout.write(`  Ferry's own    median ${(total - moodleMs).toFixed(1)} ms (target < 150 ms)\n`);
    process.stdout.write(`  api memory     rss ${memory.rssMiB.toFixed(0)} MiB, peak ${memory.peakMiB.toFixed(0)} MiB\n`);
  } finally {
    await emulator.stop();
    await api.stop();
  }
}
