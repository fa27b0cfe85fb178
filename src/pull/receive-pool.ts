// Receiving on other cores. The main thread reads every socket of a pull unless told otherwise, and on a host
// with many cores and a fast NIC that one thread is the ceiling (receiving and TLS decryption ~1 CPU-s per GB
// on it, BENCHMARKS.md). With receive threads, each large file's lean Range requests are handed to worker
// threads (receive-worker.ts) that connect, decrypt, check the answer and write the bytes at their offsets;
// the main thread plans, schedules, retries and keeps the books (sidecar, hash frontier, progress) from the
// messages they send after every write. Requests undici must take (a proxy, an answer the lean reader does
// not frame) come back as `{ fallback }` and are sent from the main thread, as without threads.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { LeanFallback } from '../hub/lean-client.js'
import type { RateCap } from '../hub/transport.js'
import type { OnWritten } from './body-writer.js'
import type { DownloadLimits, Receiver, RemoteRange } from './range-request.js'
import type { ReceiveReply, ReceiveRequest } from './receive-worker.js'
import { fromWire, toWire } from './wire-error.js'

/**
 * Receive threads by default: none below 4 cores, where the main thread is not the limit and every thread
 * costs a V8 heap (~10 MB) and a message per write; then one per 4 cores, at most 4 (each reads ~1 GB/s).
 */
export function defaultReceiveThreads(cores = availableParallelism()): number {
  return cores < 4 ? 0 : Math.min(4, Math.floor(cores / 4))
}

interface Pending {
  onWritten: OnWritten
  cap?: RateCap
  resolve(result: number | LeanFallback): void
  reject(err: Error): void
  /** onWritten threw: the request is aborted, and fails with this once the thread replies. */
  failed?: Error
}

interface Thread {
  worker: Worker
  pending: Map<number, Pending>
}

export class ReceivePool implements Receiver {
  private threads: Thread[] = []
  private ids = 0
  private closed = false

  constructor(private readonly size: number) {}

  /**
   * Fetches `job` on the thread with the fewest requests (started on first use). Resolves only once the
   * thread replied, so every write it made has landed before the caller may close the file.
   */
  fetch(job: RemoteRange, onWritten: OnWritten, signal: AbortSignal, limits: Pick<DownloadLimits, 'cap' | 'memory'>): Promise<number | LeanFallback> {
    const thread = this.pick()
    const id = ++this.ids
    // The connection's share of the pull's memory, fixed for this request (each request is one chunk).
    const leave = limits.memory?.join()
    const send = (m: ReceiveRequest) => thread.worker.postMessage(m)
    const onAbort = () => send({ op: 'abort', id })
    return new Promise<number | LeanFallback>((resolve, reject) => {
      thread.pending.set(id, { onWritten, cap: limits.cap, resolve, reject })
      send({ op: 'fetch', id, job, writeSize: limits.memory?.writeBuffer, capped: limits.cap !== undefined })
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    }).finally(() => {
      signal.removeEventListener('abort', onAbort)
      leave?.()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const threads = this.threads
    this.threads = []
    await Promise.all(threads.map((t) => t.worker.terminate()))
  }

  private pick(): Thread {
    if (this.closed) throw new Error('the receive threads were closed')
    if (this.threads.length < this.size) return this.start()
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a))
  }

  private start(): Thread {
    // Not unref'd: a request in flight must keep the process alive. pull() closes the pool in a finally.
    const worker = new Worker(new URL('./receive-worker.js', import.meta.url))
    const t: Thread = { worker, pending: new Map() }
    const failAll = (err: Error) => {
      for (const p of t.pending.values()) p.reject(err)
      t.pending.clear()
      this.threads = this.threads.filter((x) => x !== t)
    }
    worker.on('message', (r: ReceiveReply) => {
      const p = t.pending.get(r.id)
      if (!p) return
      switch (r.op) {
        case 'wrote':
          try {
            return p.onWritten(r.offset, [], r.n)
          } catch (err) {
            p.failed ??= err as Error
            return worker.postMessage({ op: 'abort', id: r.id } satisfies ReceiveRequest)
          }
        case 'take':
          // Asked only when the request said it is capped; without a cap, the bytes may go at once.
          return void (p.cap?.(r.n) ?? Promise.resolve()).then(
            () => worker.postMessage({ op: 'tokens', id: r.id, seq: r.seq } satisfies ReceiveRequest),
            (err) => worker.postMessage({ op: 'tokens', id: r.id, seq: r.seq, error: toWire(err) } satisfies ReceiveRequest),
          )
        case 'done':
          t.pending.delete(r.id)
          return p.failed ? p.reject(p.failed) : p.resolve(r.result)
        case 'failed':
          t.pending.delete(r.id)
          return p.reject(p.failed ?? fromWire(r.error))
      }
    })
    worker.on('error', failAll)
    worker.on('exit', (code) => failAll(new Error(`a receive thread stopped (exit code ${code})`)))
    this.threads.push(t)
    return t
  }
}
