// Hashing on other cores. The thread that reads the sockets is the one hfx runs out of first (receiving
// costs ~2.3 CPU-s/GB in undici, sha256 another ~0.7), so large files are hashed by worker threads that
// read the bytes back from the page cache moments after they were written. Small files stay on the
// inline PrefixHasher: a message round trip costs more than hashing a few kilobytes.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { contiguousPrefix, mergeRanges, type Range } from './chunks.js'
import type { HashReply, HashRequest } from './hash-worker.js'
import type { FileIdentity } from './part-state.js'
import type { Expected, Hasher } from './prefix-hasher.js'
import { DiskWriteError } from '../errors.js'

/** Enough threads to keep up with a fast link (sha256 runs at ~1.5 GB/s a core), leaving a core to receive. */
export function defaultHashThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1))
}

interface Thread {
  worker: Worker
  waiting: Map<number, { resolve(hex: string): void; reject(err: Error): void }>
  /** Set when the worker died: every later digest fails with it instead of waiting forever. */
  dead?: Error
}

export class HashPool {
  private threads: Thread[] = []
  private ids = 0

  constructor(private readonly size: number) {}

  /**
   * A hasher for the partial file at `path`, on the next thread in turn (started on first use). The worker
   * opens the file by name, so it checks that it got the inode the bytes are written to (`written`): a
   * file swapped in at the name meanwhile is never hashed in its place.
   */
  open(path: string, written: FileIdentity, expected: Expected): Hasher {
    const id = ++this.ids
    const thread = this.thread(id % this.size)
    const send = (m: HashRequest) => thread.worker.postMessage(m)
    send({ op: 'open', id, path, dev: written.dev, ino: written.ino, expected })
    return new RemoteHasher(id, send, thread)
  }

  async close(): Promise<void> {
    const threads = this.threads
    this.threads = []
    await Promise.all(threads.map((t) => t.worker.terminate()))
  }

  private thread(i: number): Thread {
    const existing = this.threads[i]
    if (existing) return existing
    // Not unref'd: a pending digest must keep the process alive. pull() closes the pool in a finally.
    const worker = new Worker(new URL('./hash-worker.js', import.meta.url))
    const t: Thread = { worker, waiting: new Map() }
    const failAll = (err: Error) => {
      t.dead ??= err
      for (const w of t.waiting.values()) w.reject(err)
      t.waiting.clear()
      if (this.threads[i] === t) delete this.threads[i]
    }
    worker.on('message', (r: HashReply) => {
      const w = t.waiting.get(r.id)
      t.waiting.delete(r.id)
      if ('hex' in r) w?.resolve(r.hex)
      else if (r.replaced) w?.reject(new DiskWriteError(`${r.error}; not hashing another file in its place.`, 'Run the command again: it fetches what is still missing.'))
      else w?.reject(new Error(r.error))
    })
    worker.on('error', failAll)
    worker.on('exit', (code) => failAll(new Error(`the hash thread stopped (exit code ${code})`)))
    this.threads[i] = t
    return t
  }
}

/** Bytes between two messages to the worker: each message costs the main thread, the worker reads in 1 MiB steps. */
const POST_STEP = 4 * 1024 * 1024

/** The main thread's side: tracks what is on disk and tells the worker as the contiguous prefix grows. */
class RemoteHasher implements Hasher {
  /** Bytes on disk contiguously from byte 0. */
  private reach = 0
  /** Ranges on disk beyond `reach`. */
  private onDisk: Range[] = []
  /** The reach last told to the worker (digest tells it the rest). */
  private posted = 0

  constructor(
    private readonly id: number,
    private readonly send: (m: HashRequest) => void,
    private readonly thread: Thread,
  ) {}

  kept(ranges: Range[]): void {
    this.landed(ranges)
  }

  wrote(offset: number, _bufs: Buffer[], n: number): void {
    this.landed([{ start: offset, end: offset + n }])
  }

  private landed(ranges: Range[]): void {
    const merged = mergeRanges([{ start: 0, end: this.reach }, ...this.onDisk, ...ranges])
    this.reach = contiguousPrefix(merged)
    this.onDisk = merged.filter((r) => r.start > this.reach)
    if (this.reach - this.posted >= POST_STEP) {
      this.posted = this.reach
      this.send({ op: 'reach', id: this.id, end: this.reach })
    }
  }

  async reset(): Promise<void> {
    this.reach = 0
    this.onDisk = []
    this.posted = 0
    this.send({ op: 'reset', id: this.id })
  }

  digest(): Promise<string> {
    if (this.thread.dead) return Promise.reject(this.thread.dead)
    const hex = new Promise<string>((resolve, reject) => this.thread.waiting.set(this.id, { resolve, reject }))
    this.send({ op: 'digest', id: this.id })
    return hex
  }

  close(): void {
    this.thread.waiting.delete(this.id)
    this.send({ op: 'close', id: this.id })
  }
}
