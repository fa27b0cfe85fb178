// Downloads the missing ranges of one file into its partial, in parallel over several connections, hashed in
// order as they land. Each chunk's loop only carries out what next-step.ts decides after a failed request;
// the first chunk that gives up stops the file. A server that ignores Range gets the file from byte 0 on
// one connection instead.
import { setMaxListeners } from 'node:events'
import type { FileHandle } from 'node:fs/promises'
import { InterruptedError } from '../errors.js'
import type { HubIO } from '../hub/get-json.js'
import type { Hub } from '../hub/hub.js'
import { RangeIgnoredError } from '../hub/range-answer.js'
import { repoName, type RepoRef } from '../repo/repo-ref.js'
import { sleep, type RetryNotice } from '../retry/with-retry.js'
import { planChunks, type Range } from './chunks.js'
import type { HashPool } from './hash-pool.js'
import type { MemoryBudget } from './memory-budget.js'
import { nextStep, NO_FAILURES } from './next-step.js'
import type { FileIdentity, PartState } from './part-state.js'
import { fetchRange, type Receiver } from './range-request.js'
import type { Slots } from './slots.js'
import type { TokenBucket } from './token-bucket.js'
import type { Mirrors } from './mirrors.js'
import { FileSource } from './source.js'
import type { TransferBudget } from './transfer-budget.js'
import { PrefixHasher, type Expected, type Hasher } from './prefix-hasher.js'

export interface FetchJob {
  ref: RepoRef
  commit: string
  path: string
  lfs: boolean
  expected: Expected
  /** This process's partial file (claim-partial.ts): nobody else writes it. */
  partial: string
  /** Where the bytes are, if the pull already asked (the access check before planning): not asked twice. */
  located?: string
}

/** Where one attempt at a file reads its bytes: the Hub, or a mirror with the Hub behind it. */
export interface Origin {
  /** The transport its requests go through (its token, timeouts, speed floor). */
  io: HubIO
  locate(): Promise<string>
  /** A URL already located (the Hub's, from the access check). */
  located?: string
  /** Another origin takes over when this one fails: a failed request is not retried here. */
  fallback: boolean
}

export function hubOrigin(hub: Hub, job: FetchJob): Origin {
  return { io: hub.io, locate: () => hub.downloadUrl(job.ref, job.commit, job.path, { lfs: job.lfs }), located: job.located, fallback: false }
}

export interface FetchEvents {
  /** Called once when the file starts, with the bytes already on disk from an earlier run. */
  resumed(bytes: number): void
  bytes(n: number): void
  retry(notice: RetryNotice): void
}

export interface FetchOptions {
  /** The session's hub: where the file's bytes are, and the transport that reads them (hub.io). */
  hub: Hub
  /** Mirrors asked for the bytes before the hub (--mirror); the hub's hashes still decide. */
  mirrors?: Mirrors
  /** Range requests in flight across the whole pull, and this file's place in line for them. */
  slots: Slots
  priority: number
  connections: number
  chunkSize: number
  /** The pull's bandwidth cap, shared by every connection of every file (--limit-rate); unset: none. */
  cap?: TokenBucket
  /** The pull's memory for bytes between the network and the disk, shared likewise; unset: 512 KiB writes. */
  memory?: MemoryBudget
  /** Worker threads that hash files of more than one chunk; without it, everything is hashed inline. */
  hashing?: HashPool
  /**
   * Worker threads that receive the bytes of files hashed by `hashing` (their hashers read the bytes back
   * from disk, so the bytes need not come to this thread); without it, this thread reads every socket.
   */
  receiving?: Receiver
  signal: AbortSignal
  events: FetchEvents
}

/** Fetches what `state` says is missing into `fd`; returns the hash of the whole file as written. */
export async function downloadInto(
  fd: FileHandle,
  state: PartState,
  job: FetchJob,
  written: FileIdentity,
  budget: TransferBudget,
  opts: FetchOptions,
  origin: Origin = hubOrigin(opts.hub, job),
): Promise<string> {
  const size = job.expected.size
  // The worker opens the file again by name; it hashes only if that is still the inode written here.
  const pool = size > opts.chunkSize ? opts.hashing : undefined
  const hasher = pool ? pool.open(job.partial, written, job.expected) : new PrefixHasher(fd, job.expected)
  // The inline hasher hashes the bytes as they pass through this thread: only a remote one lets them stay away.
  const threads = pool ? opts.receiving : undefined
  try {
    hasher.kept(state.done)
    const source = new FileSource(origin.locate, origin.located)
    try {
      await fetchChunks(planChunks(size, state.done, opts.chunkSize), { fd, state, job, origin, source, hasher, threads, budget, rangeless: false }, opts)
    } catch (err) {
      if (!(err instanceof RangeIgnoredError)) throw err
      // The server answers every Range with the whole file: start over from byte 0 on one connection,
      // never appending a whole body to a partial one.
      await state.reset()
      await fd.truncate(0)
      await hasher.reset()
      await fetchChunks([{ start: 0, end: size }], { fd, state, job, origin, source, hasher, threads, budget, rangeless: true }, opts)
    }
    return await hasher.digest()
  } finally {
    hasher.close()
  }
}

interface FileWork {
  fd: FileHandle
  state: PartState
  job: FetchJob
  origin: Origin
  source: FileSource
  hasher: Hasher
  /** Where its bodies are received, when not on this thread. */
  threads?: Receiver
  budget: TransferBudget
  /** The server ignores Range: every attempt is the whole file from byte 0. */
  rangeless: boolean
}

async function fetchChunks(chunks: Range[], work: FileWork, opts: FetchOptions): Promise<void> {
  const abort = new AbortController()
  setMaxListeners(0, abort.signal)
  const onAbort = () => abort.abort()
  opts.signal.addEventListener('abort', onAbort, { once: true })
  // A signal aborted already never fires 'abort' again: a stop that came between planning and this file's
  // start (the first progress line meeting a closed stderr) would otherwise download the whole file.
  if (opts.signal.aborted) abort.abort()
  const queue = [...chunks]
  let failure: unknown
  const worker = async () => {
    for (let chunk = queue.shift(); chunk && !failure; chunk = queue.shift()) {
      try {
        await fetchChunk(chunk, work, opts, abort.signal)
      } catch (err) {
        // The first failure stops the file: the other connections are aborted, their done ranges kept.
        failure ??= err
        abort.abort()
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.connections, chunks.length)) }, worker))
  } finally {
    opts.signal.removeEventListener('abort', onAbort)
  }
  if (opts.signal.aborted) throw new InterruptedError('interrupted')
  if (failure) throw failure
}

async function fetchChunk(chunk: Range, work: FileWork, opts: FetchOptions, signal: AbortSignal): Promise<void> {
  const { job, source, state } = work
  let at = chunk.start
  let furthest = chunk.start
  let counters = NO_FAILURES
  while (at < chunk.end) {
    if (signal.aborted) throw new InterruptedError('interrupted')
    const url = await source.url()
    let wrote = 0
    try {
      const target = { url, repoId: repoName(job.ref), path: job.path, commit: job.commit }
      const whole = at === 0 && chunk.end === job.expected.size
      const onWritten = (offset: number, bufs: Buffer[], n: number) => {
        wrote += n
        work.budget.transferred += n
        work.hasher.wrote(offset, bufs, n)
        if (!work.rangeless) state.advance(chunk.start, at + wrote)
        opts.events.bytes(n)
      }
      const release = await opts.slots.acquire(opts.priority)
      work.budget.requests++
      try {
        const bucket = opts.cap
        const cap = bucket && ((n: number) => bucket.take(n, signal))
        await fetchRange(work.origin.io, target, { start: at, end: chunk.end }, work.fd, onWritten, signal, whole, { floor: work.origin.io.downloadFloor, cap, memory: opts.memory, threads: work.threads })
      } finally {
        release()
      }
      at += wrote
      break
    } catch (err) {
      // Whatever reached the disk is kept, interrupted or not (`advance` recorded it): the next run must
      // not fetch it again.
      at += wrote
      if (signal.aborted) throw new InterruptedError('interrupted', undefined, { cause: err })
      const progressed = at > furthest
      furthest = Math.max(furthest, at)
      const left = work.rangeless ? job.expected.size : chunk.end - at
      const step = nextStep(err, { path: job.path, rangeless: work.rangeless, wrote, progressed, left, counters, budget: work.budget, fallback: work.origin.fallback })
      if (step.action === 'give_up') throw step.error
      counters = step.counters
      if (step.action === 'follow') {
        source.redirected(step.location)
        continue
      }
      opts.events.retry(step.notice)
      if (step.action === 'relocate') {
        await source.expire(url)
        continue
      }
      work.budget.failed++
      await sleep(step.delayMs, signal)
      if (work.rangeless) {
        // Without Range support there is no resuming inside the file: back to byte 0.
        at = 0
        await work.fd.truncate(0)
        await work.hasher.reset()
      }
    }
  }
  if (!work.rangeless) state.markDone({ start: chunk.start, end: chunk.end })
}
