/**
 * The worker as operators run it: `nest build worker`, then `node dist/apps/worker/main.js` with its
 * configuration in the environment, ready once its health port answers. Also the figures the kernel
 * keeps about a process (CPU time, peak resident set) and about the machine (busy time).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { bundleOf, ensureProductionBuild, startNodeOptions } from '../support/production-build';

const root = join(__dirname, '..', '..');
/** BENCH_WORKER_BUNDLE: another build of the worker to measure (an earlier one, to compare), used as it is. */
const WORKER_BUNDLE = process.env.BENCH_WORKER_BUNDLE ? join(root, process.env.BENCH_WORKER_BUNDLE) : bundleOf('worker');

/** Builds the worker unless the bench was given another build to measure. */
export function ensureWorkerBuild(): void {
  if (!process.env.BENCH_WORKER_BUNDLE) ensureProductionBuild('worker');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

let clockTicks: number | null = null;
/** USER_HZ, the unit of /proc/<pid>/stat's times (100 on Linux, asked rather than assumed). */
function clockTicksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return clockTicks;
}

/** user + system CPU time in seconds, from a /proc/…/stat line (a process's, or one thread's). */
function cpuSecondsFromStat(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicksPerSecond();
}

/** user + system CPU time of a process so far (all its threads), in seconds. */
export function cpuSecondsOf(pid: number): number {
  return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** Each live thread's CPU time so far, in seconds, by thread id. */
export function threadCpuSecondsOf(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(Number(tid), cpuSecondsFromStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** VmHWM: the kernel's own record of the process's peak resident set. */
export function peakRssBytesOf(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

/** The whole machine's CPU time so far, busy and in all, in seconds summed over its cores (from /proc/stat). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal
  const ticks = values.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: (total - idle) / clockTicksPerSecond(), total: total / clockTicksPerSecond() };
}

export interface ProductionWorker {
  child: ChildProcess;
  pid: number;
  cpuSeconds(): number;
  threadCpuSeconds(): Map<number, number>;
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/** `npm run start:worker`'s command (`node <heap options> dist/apps/worker/main.js`), ready when GET /healthz on its health port says every dependency is up. */
export async function startProductionWorker(env: Record<string, string>, nodeArgs: string[] = []): Promise<ProductionWorker> {
  const healthPort = await freePort();
  const child = spawn(process.execPath, [...startNodeOptions('worker'), ...nodeArgs, WORKER_BUNDLE], {
    cwd: root,
    stdio: ['ignore', process.env.BENCH_WORKER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    env: { ...process.env, ...env, WORKER_HEALTH_PORT: String(healthPort) },
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the worker exited with ${code}`))));
  exited.catch(() => undefined);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const healthy = await Promise.race([
      fetch(`http://127.0.0.1:${healthPort}/healthz`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ]);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the worker did not report healthy within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid as number;
  return {
    child,
    pid,
    cpuSeconds: () => cpuSecondsOf(pid),
    threadCpuSeconds: () => threadCpuSecondsOf(pid),
    peakRssBytes: () => peakRssBytesOf(pid),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const stopped = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await stopped;
    },
  };
}
