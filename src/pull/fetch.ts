// Downloads one blob into this process's partial file (the ranges: fetch-chunks.ts) and verifies it before it
// returns. It never publishes anything: publish.ts moves the verified file into place. Integrity failures are
// retried here, where the hash is known.
import { lstat, unlink, type FileHandle } from 'node:fs/promises'
import { DiskWriteError, IntegrityError } from '../errors.js'
import { createExclusive, openRegular } from '../no-follow.js'
import { retryDetail } from '../retry/with-retry.js'
import { downloadInto, type FetchJob, type FetchOptions } from './fetch-chunks.js'
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
  const events = { ...opts.events, bytes: (n: number) => ((downloaded += n), opts.events.bytes(n)) }
  // One budget for every attempt at this file, integrity re-fetches included.
  const budget = new TransferBudget(job.expected.size, opts.chunkSize)
  for (let attempt = 1; ; attempt++) {
    const state = await PartState.open(job.partial, job.expected.hex, job.expected.size, { sidecar: job.expected.size > opts.chunkSize })
    const resumed = state.bytesDone
    if (state.repaired) {
      events.retry({ kind: 'other', path: job.path, attempt, maxAttempts: INTEGRITY_ATTEMPTS, delayMs: 0, detail: retryDetail(job.path, state.repaired) })
    }
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
    const detail = retryDetail(job.path, `${job.expected.algorithm} mismatch, downloading it again`)
    events.retry({ kind: 'integrity', path: job.path, attempt, maxAttempts: INTEGRITY_ATTEMPTS, delayMs: 0, detail })
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
