// Downloads one blob into this process's partial file (the ranges: fetch-chunks.ts) and verifies it before it
// returns. It never publishes anything: publish.ts moves the verified file into place. Integrity failures are
// retried here, where the hash is known; with mirrors, each is tried once first and the Hub takes over a
// file a mirror failed or served wrong (the order: mirror-order.ts).
import { lstat, unlink, type FileHandle } from 'node:fs/promises'
import { DiskWriteError, IntegrityError, InterruptedError, toHfxError } from '../errors.js'
import { createExclusive, openRegular } from '../no-follow.js'
import { retryDetail } from '../retry/with-retry.js'
import { downloadInto, hubOrigin, type FetchJob, type FetchOptions, type Origin } from './fetch-chunks.js'
import { PartState } from './part-state.js'
import { TransferBudget } from './transfer-budget.js'
import type { VerifiedFile } from './publish.js'

/** Whole-file attempts when the hash does not match: the bytes are thrown away and fetched once more. */
const INTEGRITY_ATTEMPTS = 2

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
  let first = true
  const events = { ...opts.events, bytes: (n: number) => ((downloaded += n), opts.events.bytes(n)) }
  const attempt = async (origin: Origin, budget: TransferBudget, n: number, maxAttempts: number) => {
    const r = await attemptOnce(job, origin, budget, { ...opts, events }, first, { n, maxAttempts })
    first = false
    return r
  }
  // Mirrors first, each tried once for this file: their bytes count only if they hash to the Hub's value.
  const mirrors = opts.mirrors?.forFile() ?? []
  /** Mirrors that failed part-way, whose bytes stay in the partial for the next origin to resume from. */
  const kept: string[] = []
  for (const [i, mirror] of mirrors.entries()) {
    const before = downloaded
    const started = Date.now()
    let why: string
    try {
      const skip = await mirror.skip(job)
      if (skip !== undefined) {
        const next = mirrors[i + 1]?.shown ?? 'the Hub'
        if (skip) events.retry({ kind: 'mirror', path: job.path, mirror: mirror.shown, attempt: i + 1, maxAttempts: mirrors.length, delayMs: 0, detail: retryDetail(job.path, `${skip}; fetching it from ${next}`) })
        continue
      }
      const origin: Origin = { io: mirror.io, locate: () => mirror.locate(job), fallback: true }
      const r = await attempt(origin, new TransferBudget(job.expected.size, opts.chunkSize), 1, INTEGRITY_ATTEMPTS)
      if (r.hash === job.expected.hex) {
        opts.mirrors?.served(mirror, downloaded - before, Date.now() - started)
        return { downloaded, resumed: r.resumed, hash: r.hash, file: r.file }
      }
      why = `served bytes that do not match the Hub's ${job.expected.algorithm}`
    } catch (err) {
      if (opts.signal.aborted || err instanceof InterruptedError || err instanceof DiskWriteError) throw err
      why = `failed: ${toHfxError(err).message}`
      if (downloaded > before) kept.push(mirror.shown)
    }
    opts.mirrors?.failed(mirror)
    const next = mirrors[i + 1]?.shown ?? 'the Hub'
    const detail = retryDetail(job.path, `the mirror ${mirror.shown} ${why}; fetching it from ${next}`)
    events.retry({ kind: 'mirror', path: job.path, mirror: mirror.shown, attempt: i + 1, maxAttempts: mirrors.length, delayMs: 0, detail })
  }
  // One budget for every attempt at the Hub, integrity re-fetches included.
  const budget = new TransferBudget(job.expected.size, opts.chunkSize)
  for (let n = 1; ; n++) {
    const r = await attempt(hubOrigin(opts.hub, job), budget, n, INTEGRITY_ATTEMPTS)
    if (r.hash === job.expected.hex) return { downloaded, resumed: r.resumed, hash: r.hash, file: r.file }
    if (n >= INTEGRITY_ATTEMPTS) throw new IntegrityError(job.path, job.expected.algorithm, job.expected.hex, r.hash)
    // Bytes a failed mirror left were resumed from: it is the likelier culprit, and the user should know which.
    const from = n === 1 && kept.length ? ` (with bytes kept from ${kept.join(', ')}, which failed part-way)` : ''
    const detail = retryDetail(job.path, `${job.expected.algorithm} mismatch${from}, downloading it again`)
    events.retry({ kind: 'integrity', path: job.path, attempt: n, maxAttempts: INTEGRITY_ATTEMPTS, delayMs: 0, detail })
  }
}

/**
 * One attempt at the file from one origin, resuming whatever the partial holds: the hash of the whole file as
 * written. A file that does not match is discarded before this returns, so the next attempt starts clean.
 */
async function attemptOnce(
  job: FetchJob,
  origin: Origin,
  budget: TransferBudget,
  opts: FetchOptions,
  first: boolean,
  count: { n: number; maxAttempts: number },
): Promise<{ hash: string; file: VerifiedFile; resumed: number }> {
  const state = await PartState.open(job.partial, job.expected.hex, job.expected.size, { sidecar: job.expected.size > opts.chunkSize })
  const resumed = state.bytesDone
  if (state.repaired) {
    opts.events.retry({ kind: 'other', path: job.path, attempt: count.n, maxAttempts: count.maxAttempts, delayMs: 0, detail: retryDetail(job.path, state.repaired) })
  }
  if (first) opts.events.resumed(resumed)
  let hash: string
  let file: VerifiedFile
  try {
    const fd = await openPartial(job.partial)
    try {
      const { dev, ino } = await fd.stat()
      hash = await downloadInto(fd, state, job, { dev, ino }, budget, opts, origin)
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
    return { hash, file, resumed }
  }
  if (!(await state.discard(file))) {
    // Our partial's name leads to a file we did not write: never resume from it, never delete it.
    throw new DiskWriteError(
      `the partial file ${job.partial} was replaced by another process while it was downloading; leaving that file alone.`,
      'Run the command again: it fetches what is still missing.',
    )
  }
  return { hash, file, resumed }
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
