import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { FileDigests, FileHashes, FileHashing, HashStates } from './file-hashes';

/** How many hashing threads at most; the default leaves one core to the thread that moves the bytes. */
export const HASHING_THREAD_COUNT = Symbol('HASHING_THREAD_COUNT');

/**
 * The threads' program. It is plain JavaScript run with `eval`, so it needs no file of its own
 * beside the webpack bundle; it gets hash-wasm by the path this process resolved. It keeps one
 * SHA-256 + MD5 pair per upload (a session) and answers requests strictly in the order they came.
 */
const THREAD_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createMD5, createSHA256 } = require(workerData.hashWasm);
const sessions = new Map();
const handlers = {
  async open({ session, states }) {
    const sha256 = await createSHA256();
    const md5 = await createMD5();
    if (states) {
      sha256.load(states.sha256);
      md5.load(states.md5);
    }
    sessions.set(session, { sha256, md5 });
    return {};
  },
  block({ session, block }) {
    const { sha256, md5 } = sessions.get(session);
    sha256.update(block);
    md5.update(block);
    return { states: { sha256: sha256.save(), md5: md5.save() } };
  },
  digest({ session }) {
    const { sha256, md5 } = sessions.get(session);
    sessions.delete(session);
    return { digests: { sha256: sha256.digest('hex'), md5: md5.digest('binary') } };
  },
  close({ session }) {
    sessions.delete(session);
    return {};
  },
};
let queue = Promise.resolve();
parentPort.on('message', (request) => {
  queue = queue
    .then(() => handlers[request.type](request))
    .then(
      (reply) => parentPort.postMessage({ id: request.id, ...reply }),
      (error) => parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
});
`;

type ThreadRequest =
  | { type: 'open'; session: number; states: HashStates | null }
  | { type: 'block'; session: number; block: Uint8Array }
  | { type: 'digest'; session: number }
  | { type: 'close'; session: number };

interface ThreadReply {
  id: number;
  error?: string;
  states?: HashStates;
  digests?: FileDigests;
}

let hashWasmEntry: string | null = null;
/** Resolved here rather than by the thread, whose `require` would resolve from the working directory. */
function resolveHashWasm(): string {
  hashWasmEntry ??= createRequire(__filename).resolve('hash-wasm');
  return hashWasmEntry;
}

class HashingThread {
  sessions = 0;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(reply: ThreadReply): void; reject(error: Error): void }>();
  private nextRequest = 1;
  private failure: Error | null = null;

  constructor(private readonly onGone: (thread: HashingThread) => void) {
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { hashWasm: resolveHashWasm() },
      // Not this process's preloads and flags (a TypeScript loader in tests, --cpu-prof): the thread needs none.
      execArgv: [],
      // The thread's JavaScript is a few small messages; hash states and file bytes live outside its heap.
      resourceLimits: { maxYoungGenerationSizeMb: 1 },
    });
    // Only a request in flight keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => this.settle(reply));
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', (code) => this.stop(new Error(`The hashing thread exited with code ${code}.`)));
  }

  request(request: ThreadRequest): Promise<ThreadReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(reply: ThreadReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error !== undefined) waiter.reject(new Error(`Hashing failed: ${reply.error}`));
    else waiter.resolve(reply);
  }

  private stop(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.onGone(this);
  }
}

class ThreadedFileHashes implements FileHashes {
  private closed = false;

  constructor(
    private readonly thread: HashingThread,
    private readonly session: number,
  ) {}

  async hashBlock(block: Uint8Array): Promise<HashStates> {
    // A block over a SharedArrayBuffer reaches the thread without a copy; any other is copied.
    const reply = await this.thread.request({ type: 'block', session: this.session, block });
    return reply.states as HashStates;
  }

  async digest(): Promise<FileDigests> {
    const reply = await this.thread.request({ type: 'digest', session: this.session });
    this.release();
    return reply.digests as FileDigests;
  }

  close(): void {
    if (this.closed) return;
    this.release();
    this.thread.request({ type: 'close', session: this.session }).catch(() => undefined);
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.thread.sessions -= 1;
  }
}

/**
 * Whole-file SHA-256 and MD5 computed in worker threads, so that hashing (most of the CPU an upload
 * costs) runs beside the thread that downloads, checks and stages blocks rather than in turn with it.
 * Threads start on first use; each upload stays on one thread (its hashes are sequential), and
 * uploads spread over up to `count` threads. Blocks go over shared memory: `allocateBlock`.
 */
@Injectable()
export class HashingThreads implements FileHashing, OnModuleDestroy {
  private readonly threads: HashingThread[] = [];
  private readonly count: number;
  private nextSession = 1;

  constructor(@Optional() @Inject(HASHING_THREAD_COUNT) count?: number) {
    this.count = count ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    if (!Number.isInteger(this.count) || this.count < 1) throw new RangeError('The hashing thread count must be at least 1.');
  }

  allocateBlock(size: number): Buffer {
    return Buffer.from(new SharedArrayBuffer(size));
  }

  async open(states?: HashStates): Promise<FileHashes> {
    const thread = this.pickThread();
    const session = this.nextSession++;
    thread.sessions += 1;
    const hashes = new ThreadedFileHashes(thread, session);
    try {
      await thread.request({ type: 'open', session, states: states ?? null });
    } catch (error) {
      hashes.close();
      throw error;
    }
    return hashes;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((thread) => thread.terminate()));
  }

  private pickThread(): HashingThread {
    const idlest = this.threads.reduce<HashingThread | null>((best, thread) => (!best || thread.sessions < best.sessions ? thread : best), null);
    if (idlest && (idlest.sessions === 0 || this.threads.length >= this.count)) return idlest;
    const thread = new HashingThread((gone) => {
      const index = this.threads.indexOf(gone);
      if (index >= 0) this.threads.splice(index, 1);
    });
    this.threads.push(thread);
    return thread;
  }
}
