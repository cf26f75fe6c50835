import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Files up to this size are read whole (hashed on the main thread, uploaded from memory); larger ones are streamed. */
export const WHOLE_FILE_MAX = 1024 * 1024;

/**
 * The content hashes baepo computes. SHA-256 is what it records (manifest, object metadata, the
 * upload's `x-amz-checksum-sha256`): with the SHA extensions of current x86 and Arm CPUs it runs
 * about twice as fast as MD5. MD5 is computed only to compare with what S3 itself reveals: a
 * single-part ETag, or what an earlier baepo recorded.
 */
export type HashAlgorithm = 'md5' | 'sha256';

export const digestHex = (algorithm: HashAlgorithm, bytes: Uint8Array): string => createHash(algorithm).update(bytes).digest('hex');

/** A file's hash read through `buffer` (reused: no garbage), on the calling thread. The worker does the same. */
function hashOfFile(path: string, algorithm: HashAlgorithm, buffer: Buffer): string {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash(algorithm);
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/**
 * The worker's whole program (CommonJS, evaluated as a string so no bundle is loaded into the thread):
 * read a file through the hash with one reused 1 MiB buffer, so memory stays flat whatever the size and
 * no garbage piles up. Synchronous reads are fine here: the thread does nothing else.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(1024 * 1024);
parentPort.on('message', ({ path, algorithm }) => {
  let fd;
  try {
    fd = openSync(path, 'r');
    const hash = createHash(algorithm);
    let read;
    while ((read = readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, read));
    parentPort.postMessage({ hex: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

interface Job {
  path: string;
  algorithm: HashAlgorithm;
  resolve: (hex: string) => void;
  reject: (error: Error) => void;
}

/**
 * Content hashes of local files, each computed once. Whole-file reads for small files on the calling
 * thread; large files stream through a small pool of worker threads, so hashing a site's big files
 * runs on every core and overlaps with listing, planning and uploading.
 */
export class ContentHasher {
  private readonly memo = new Map<string, Promise<string>>();
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private workers = 0;
  private helping = false;
  private closed = false;
  private maxWorkers: number;

  /** `workerSource` is for tests (a thread that fails); the default is the hashing program above. */
  constructor(
    maxWorkers = Math.max(1, Math.min(4, availableParallelism() - 1)),
    private readonly workerSource = WORKER_SOURCE,
  ) {
    this.maxWorkers = maxWorkers;
  }

  /** The file's hash (hex); `size` picks the path (whole read or streamed in a worker). */
  hash(path: string, size: number, algorithm: HashAlgorithm): Promise<string> {
    const key = `${algorithm}:${size}:${path}`;
    let hashed = this.memo.get(key);
    if (!hashed) {
      hashed =
        size <= WHOLE_FILE_MAX ? Promise.resolve().then(() => digestHex(algorithm, readFileSync(path))) : this.inWorker(path, algorithm);
      this.memo.set(key, hashed);
      hashed.catch(() => undefined); // a prefetched hash nobody awaits must not crash the process
    }
    return hashed;
  }

  /**
   * Take queued files off the worker threads' hands, one at a time on this thread, yielding in
   * between so a worker that finishes gets the next one: for when this thread would only wait.
   */
  async help(): Promise<void> {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    this.helping = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          job.resolve(hashOfFile(job.path, job.algorithm, buffer));
        } catch (error) {
          job.reject(new Error(`Reading ${job.path}: ${(error as Error).message}`));
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.helping = false;
    }
  }

  /** Stop the worker threads; hashes not finished are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of [...this.queue.splice(0), ...this.running.values()]) job.reject(new Error('The hasher was closed'));
    this.running.clear();
    const workers = [...this.idle, ...this.running.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private inWorker(path: string, algorithm: HashAlgorithm): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('The hasher was closed'));
      this.queue.push({ path, algorithm, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers < this.maxWorkers ? this.spawn() : undefined);
      if (!worker) {
        // No thread can take it (none allowed, or they failed): this thread hashes the queue.
        if (this.workers === 0 && !this.helping) void this.help();
        return;
      }
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      worker.postMessage({ path: job.path, algorithm: job.algorithm });
    }
  }

  private spawn(): Worker | undefined {
    let worker: Worker;
    try {
      worker = new Worker(this.workerSource, { eval: true });
    } catch {
      this.maxWorkers = 0;
      return undefined;
    }
    this.workers++;
    worker.unref();
    worker.on('message', (message: { hex?: string; error?: string }) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      if (job) {
        if (message.hex) job.resolve(message.hex);
        else job.reject(new Error(`Reading ${job.path}: ${message.error}`));
      }
      this.dispatch();
    });
    worker.on('error', () => {
      // The thread died: its file goes back to the queue and no thread replaces it (one that
      // cannot run would fail again); with none left, this thread hashes the rest.
      const job = this.running.get(worker);
      this.running.delete(worker);
      const idle = this.idle.indexOf(worker);
      if (idle >= 0) this.idle.splice(idle, 1);
      this.workers--;
      this.maxWorkers = this.workers;
      if (job && !this.closed) this.queue.unshift(job);
      this.dispatch();
    });
    return worker;
  }
}
