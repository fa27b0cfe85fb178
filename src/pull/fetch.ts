// Downloads one blob into this process's partial file: the missing ranges, in parallel over several connections,
// hashed in order as they land, and verified before it returns. It never publishes anything: publish.ts
// moves the verified file into place. Integrity failures are retried here, where the hash is known.
import { setMaxListeners } from 'node:events'
import { lstat, unlink, type FileHandle } from 'node:fs/promises'
import { CutShortError, DiskWriteError, IntegrityError, InterruptedError, ProtocolError, SlowConnectionError, UrlKeepsExpiringError } from '../errors.js'
import { createExclusive, openRegular } from '../no-follow.js'
import type { HubIO } from '../hub/get-json.js'
import { RangeIgnoredError } from '../hub/range-answer.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { retryDelayMs } from '../retry/policy.js'
import { sleep, transient, type RetryNotice } from '../retry/with-retry.js'
import { planChunks, type Range } from './chunks.js'
import { PartState, type FileIdentity } from './part-state.js'
import { ExpiredUrlError, fetchRange, RedirectedError, ShortBodyError } from './range-request.js'
import type { Slots } from './slots.js'
import { FileSource } from './source.js'
import { TransferBudget } from './transfer-budget.js'
import type { HashPool } from './hash-pool.js'
import { PrefixHasher, type Expected, type Hasher } from './prefix-hasher.js'
import type { VerifiedFile } from './publish.js'

/** Failed requests in a row, on one chunk, that got no further than the chunk had ever got, before the file is given up. */
const MAX_FAILURES_WITHOUT_PROGRESS = 6
/**
 * The same for a server that ignores Range, where every retry starts the file again at byte 0 and costs the
 * whole prefix once more: a blip is covered by two more tries; after that the same cut is only repeated.
 */
const MAX_RESTARTS_WITHOUT_PROGRESS = 3
/** Re-resolutions of an expired URL in a row before we stop believing the CDN will ever accept one. */
const MAX_EXPIRED_IN_A_ROW = 5
/**
 * Attempts in a row, on one chunk, that the speed floor ended (HFX_MIN_SPEED over HFX_MIN_SPEED_TIME) before
 * the file is given up. A trickle always gets a little further, so "failures without progress" never counts
 * it; this does: a new connection is worth a try (another CDN node, another route), three slow ones in a row
 * say the trickle is where the file is. Another ending (a reset, a stall) starts the count again.
 */
const MAX_SLOW_IN_A_ROW = 3
/** Redirects in a row for one request before it counts as a loop. */
const MAX_REDIRECTS_IN_A_ROW = 5
/** Whole-file attempts when the hash does not match: the bytes are thrown away and fetched once more. */
const INTEGRITY_ATTEMPTS = 2

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

export interface FetchEvents {
  /** Called once when the file starts, with the bytes already on disk from an earlier run. */
  resumed(bytes: number): void
  bytes(n: number): void
  retry(notice: RetryNotice): void
}

export interface FetchOptions {
  io: HubIO
  /** Range requests in flight across the whole pull, and this file's place in line for them. */
  slots: Slots
  priority: number
  connections: number
  chunkSize: number
  /** Worker threads that hash files of more than one chunk; without it, everything is hashed inline. */
  hashing?: HashPool
  signal: AbortSignal
  events: FetchEvents
}

export interface FetchResult {
  /** Bytes transferred in this run (including any re-fetch after a failed hash). */
  downloaded: number
  resumed: number
  hash: string
  /** The inode whose bytes were hashed: publishing moves this file and no other (see publish.ts). */
  file: VerifiedFile
}

export async function fetchVerified(job: FetchJob, opts: FetchOptions): Promise<FetchResult> {
  let downloaded = 0
  const events = { ...opts.events, bytes: (n: number) => ((downloaded += n), opts.events.bytes(n)) }
  // One budget for every attempt at this file, integrity re-fetches included.
  const budget = new TransferBudget(job.expected.size, opts.chunkSize)
  for (let attempt = 1; ; attempt++) {
    const state = await PartState.open(job.partial, job.expected.hex, job.expected.size, { sidecar: job.expected.size > opts.chunkSize })
    const resumed = state.bytesDone
    if (state.repaired) events.retry({ attempt, maxAttempts: INTEGRITY_ATTEMPTS, delayMs: 0, reason: `${job.path}: ${state.repaired}` })
    if (attempt === 1) events.resumed(resumed)
    let hash: string
    let file: VerifiedFile
    try {
      const fd = await openPartial(job.partial)
      try {
        const { dev, ino } = await fd.stat()
        hash = await downloadInto(fd, state, job, { dev, ino }, budget, { ...opts, events })
        // A partial taken over from another tool may run past the real size; only the verified bytes may stay.
        if (hash === job.expected.hex) await fd.truncate(job.expected.size)
        const st = await fd.stat()
        file = { path: job.partial, dev: st.dev, ino: st.ino, size: st.size }
      } finally {
        await fd.close()
      }
    } finally {
      await state.close()
    }
    if (hash === job.expected.hex) {
      await state.removeSidecar()
      return { downloaded, resumed, hash, file }
    }
    if (!(await state.discard(file))) {
      // Our partial's name leads to a file we did not write: never resume from it, never delete it.
      throw new DiskWriteError(
        `the partial file ${job.partial} was replaced by another process while it was downloading; leaving that file alone.`,
        'Run the command again: it fetches what is still missing.',
      )
    }
    if (attempt >= INTEGRITY_ATTEMPTS) {
      throw new IntegrityError(job.path, job.expected.algorithm, job.expected.hex, hash)
    }
    events.retry({ attempt, maxAttempts: INTEGRITY_ATTEMPTS, delayMs: 0, reason: `${job.path}: ${job.expected.algorithm} mismatch, downloading it again` })
  }
}

/**
 * This process's partial file, opened for writing: the one claimPartial left at its name, or a new one made
 * with O_EXCL. Never through a link: the name is private to this process, so a symlink there was planted;
 * the link itself (never its target) is removed and a file of our own takes its place.
 */
async function openPartial(file: string): Promise<FileHandle> {
  for (let attempt = 1; ; attempt++) {
    const existing = await openRegular(file, 'r+').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined
      const st = await lstat(file).catch(() => undefined)
      if (err.code !== 'ELOOP' || !st?.isSymbolicLink() || attempt > 3) {
        throw new DiskWriteError(`${file} is ${st?.isSymbolicLink() ? 'a symlink' : 'not a regular file'}; hfx does not write through it.`, 'Remove it, then run the command again.', { cause: err })
      }
      await unlink(file).catch(() => {})
      return null
    })
    if (existing) return existing
    if (existing === null) continue
    const created = await createExclusive(file).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' && attempt <= 3 ? undefined : Promise.reject(err)))
    if (created) return created
  }
}

async function downloadInto(
  fd: FileHandle,
  state: PartState,
  job: FetchJob,
  written: FileIdentity,
  budget: TransferBudget,
  opts: FetchOptions,
): Promise<string> {
  const size = job.expected.size
  // The worker opens the file again by name; it hashes only if that is still the inode written here.
  const hasher = opts.hashing && size > opts.chunkSize ? opts.hashing.open(job.partial, written, job.expected) : new PrefixHasher(fd, job.expected)
  try {
    hasher.kept(state.done)
    const source = new FileSource(opts.io, job.ref, job.commit, job.path, job.lfs, job.located)
    try {
      await fetchChunks(planChunks(size, state.done, opts.chunkSize), { fd, state, job, source, hasher, budget, rangeless: false }, opts)
    } catch (err) {
      if (!(err instanceof RangeIgnoredError)) throw err
      // The server answers every Range with the whole file: start over from byte 0 on one connection,
      // never appending a whole body to a partial one.
      await state.reset()
      await fd.truncate(0)
      await hasher.reset()
      await fetchChunks([{ start: 0, end: size }], { fd, state, job, source, hasher, budget, rangeless: true }, opts)
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
  source: FileSource
  hasher: Hasher
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
  // Progress means getting past the furthest byte this chunk ever reached: without Range a retry starts at
  // byte 0 again, and writing the same prefix once more is not progress.
  let furthest = chunk.start
  let failures = 0
  let expired = 0
  let redirects = 0
  let slow = 0
  while (at < chunk.end) {
    if (signal.aborted) throw new InterruptedError('interrupted')
    const url = await source.url()
    let wrote = 0
    try {
      const target = { url, repoId: job.ref.id, path: job.path, commit: job.commit }
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
        await fetchRange(opts.io, target, { start: at, end: chunk.end }, work.fd, onWritten, signal, whole, opts.io.downloadFloor)
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
      if (at > furthest) {
        furthest = at
        failures = 0
      }
      if (err instanceof RedirectedError) {
        // Counted per chunk, in a row: a mirror may redirect every request, which is fine; a loop is not.
        if (++redirects > MAX_REDIRECTS_IN_A_ROW) throw new ProtocolError(`the Hub redirected ${job.path} in a loop.`)
        source.redirected(err.location)
        continue
      }
      if (err instanceof ExpiredUrlError) {
        if (++expired > MAX_EXPIRED_IN_A_ROW) throw new UrlKeepsExpiringError(job.path, expired)
        opts.events.retry({ attempt: expired, maxAttempts: MAX_EXPIRED_IN_A_ROW, delayMs: 0, reason: `${job.path}: download URL expired, resolving it again` })
        await source.expire(url)
        continue
      }
      if (err instanceof RangeIgnoredError && !work.rangeless) throw err
      slow = err instanceof SlowConnectionError ? slow + 1 : 0
      if (slow >= MAX_SLOW_IN_A_ROW) throw err
      const t = err instanceof ShortBodyError || err instanceof RangeIgnoredError || err instanceof SlowConnectionError ? { retry: true, reason: err.message } : transient(err)
      if (!t.retry) throw err
      const cutShort = () => new CutShortError(job.path, work.rangeless, work.budget.requests, work.budget.transferred)
      // Without Range, a body cut short costs its bytes again on the next try: fewer of those are allowed.
      const restart = work.rangeless && wrote > 0
      const maxFailures = restart ? MAX_RESTARTS_WITHOUT_PROGRESS : MAX_FAILURES_WITHOUT_PROGRESS
      if (++failures >= maxFailures) throw restart ? cutShort() : err
      if (!work.budget.allowsRetry(work.rangeless ? job.expected.size : chunk.end - at)) throw cutShort()
      const delayMs = ('serverWaitMs' in t ? t.serverWaitMs : undefined) ?? retryDelayMs(failures)
      // A slow connection made progress, so `failures` says nothing about how close the file is to being given up.
      const [attempt, maxAttempts] = slow > 0 ? [slow, MAX_SLOW_IN_A_ROW] : [failures, maxFailures]
      opts.events.retry({ attempt, maxAttempts, delayMs, reason: `${job.path}: ${t.reason.replace(/\.$/, '')}` })
      await sleep(delayMs, signal)
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
