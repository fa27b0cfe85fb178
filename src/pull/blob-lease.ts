// One host at a time fetches a given blob into a cache that several hosts share (NFS, Lustre, GPFS), where
// the blob lock (blob-lock.ts) may exclude nobody: Lustre mounted with `localflock`, NFS without a lock
// manager, or every node's own mount of the same folder all grant each host its flock. The lease is a file
// beside the lock, created with O_EXCL (atomic on NFSv3+, Lustre and GPFS alike) and kept alive by its
// holder rewriting a counter in it every beat. Whoever finds it held does other files first, then waits;
// whoever finds it not beaten for the stale time (a node that died, a process killed on another host) moves
// it aside, checks that what it moved is what it judged stale, and takes it. Whoever holds the lease then
// copies the partial file another host left (take-over.ts): no live hfx writes one without the lease.
//
// Like the lock, the lease only saves bandwidth: every download still goes to a private partial and is
// published only after its hash matched. So every doubt ends in going on: a folder where no lease can be
// made, a lease stolen from a holder that was only slow, a holder that loses its lease — at worst two hosts
// fetch the same bytes.
//
// Each beat is written through the open file and synced: an NFS client keeps writes in its own cache until
// then, and a reader on another host sees the new text only once the server has it (close-to-open: every
// look opens the file anew). The first record is not synced: most files are fetched in less than a beat, a
// sync per file would cost a pull of 2,000 small files 2,000 journal commits, and until the first beat
// reaches the server, other hosts read an empty lease, which counts as held like any other.
import { constants } from 'node:fs'
import { link, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { leaseAsideName } from '../cache/hfx-names.js'
import { pidAlive, thisOwner } from '../cache/partial-owner.js'
import { readSmallFile } from '../no-follow.js'
import { sleep } from '../retry/with-retry.js'
import type { LockWait } from './blob-lock.js'
import { formatLease, leaseVerdict, parseLease, type LeaseRecord } from './lease-record.js'

/** A lease not beaten for this long is taken over (HFX_LOCK_WAIT, when shorter, sets it). */
export const LEASE_STALE_MS = 30_000
const MAX_BEAT_MS = 1_000
const POLL_MS = 250
const LEASE_MODE = 0o664
/** A lease is one short line; anything longer is not one. */
const MAX_LEASE_BYTES = 256

export interface BlobLease {
  /** False when no lease could be made here (the pull goes on: correct, maybe fetched twice). */
  readonly held: boolean
  /** True when someone else held it at some point while we asked. */
  readonly waited: boolean
  release(): Promise<void>
}

export interface LeaseOptions {
  signal: AbortSignal
  staleMs: number
  /** False: return 'busy' at once when someone alive holds it (the pull does other files first). */
  wait: boolean
  onWait?: (w: LockWait) => void
}

const NOTICE_MS = 30_000

export async function acquireBlobLease(file: string | undefined, opts: LeaseOptions): Promise<BlobLease | 'busy'> {
  if (!file) return noLease(false)
  const me = thisOwner()
  const record: LeaseRecord = { owner: me, nonce: randomBytes(8).toString('hex'), beat: 0 }
  const beatMs = Math.max(50, Math.min(MAX_BEAT_MS, opts.staleMs / 4))
  const started = Date.now()
  let seen: { text: string; since: number } | undefined
  let lastNotice = 0
  for (;;) {
    const made = await create(file)
    if (made === 'unusable') return noLease(lastNotice > 0)
    if (made !== 'exists') return hold(file, made, record, beatMs, lastNotice > 0)
    const text = await readSmallFile(file, MAX_LEASE_BYTES).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : null))
    if (text === undefined) continue // released just now: try again
    // Not a file we may read (a folder or a link at its name, another user's file we may not read): no lease.
    if (text === null) return noLease(lastNotice > 0)
    const now = Date.now()
    if (seen?.text !== text) seen = { text, since: now }
    // HFX_LOCK_WAIT=0 (never wait): a holder is never judged stale by its beat, and a waiting pull goes on without.
    const staleMs = opts.staleMs > 0 ? opts.staleMs : Number.POSITIVE_INFINITY
    const verdict = leaseVerdict({ text, sameSinceMs: seen.since, nowMs: now }, { host: me.host, pidAlive, staleMs })
    if (verdict === 'gone') {
      const wait = { lockPath: file, waitedMs: now - started, patienceMs: opts.staleMs, gaveUp: true, lease: true }
      if ((await takeAside(file, text, record.nonce)) && lastNotice > 0) opts.onWait?.(wait)
      seen = undefined
      continue
    }
    if (!opts.wait) return 'busy'
    if (opts.staleMs <= 0) return noLease(true)
    if (lastNotice === 0 || now - lastNotice >= NOTICE_MS) {
      lastNotice = now
      opts.onWait?.({ lockPath: file, waitedMs: now - started, patienceMs: opts.staleMs, gaveUp: false, lease: true })
    }
    await sleep(Math.min(POLL_MS, beatMs), opts.signal)
  }
}

/** A new lease file of ours; 'exists' when there is one; 'unusable' when none can be made here. */
async function create(file: string): Promise<FileHandle | 'exists' | 'unusable'> {
  const { O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = constants
  try {
    return await open(file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, LEASE_MODE)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    if (code === 'EEXIST') return 'exists'
    // A folder another user owns, a read-only mount, a folder gone: no lease, as no lock (blob-lock.ts).
    if (['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR'].includes(code)) return 'unusable'
    throw err
  }
}

/**
 * Moves a lease judged stale out of the way. Another process may have renewed or replaced it between our
 * look and the move: the moved file is read again, and if it is not what was judged stale, it is put back
 * (link fails if yet another lease took the name meanwhile; that one wins, ours is dropped).
 */
async function takeAside(file: string, judged: string, nonce: string): Promise<boolean> {
  const aside = leaseAsideName(file, nonce)
  try {
    await rename(file, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  const moved = await readSmallFile(aside, MAX_LEASE_BYTES).catch(() => undefined)
  if (moved !== judged) await link(aside, file).catch(() => undefined)
  await rm(aside, { force: true }).catch(() => undefined)
  return moved === judged
}

function hold(file: string, fh: FileHandle, record: LeaseRecord, beatMs: number, waited: boolean): BlobLease {
  let writing: Promise<unknown> = write(fh, record, false).catch(() => undefined)
  const timer = setInterval(() => {
    record.beat++
    // A beat that has not reached the disk yet is not queued behind: the next one carries a higher count.
    writing = writing.then(() => write(fh, record)).catch(() => undefined)
  }, beatMs)
  // The beat must not keep a finished pull alive; a pull that ends drops its leases.
  timer.unref()
  let released = false
  return {
    held: true,
    waited,
    async release() {
      if (released) return
      released = true
      clearInterval(timer)
      await writing.catch(() => undefined)
      // Only our own lease is removed: one taken over from us (we were too slow to beat) is its new holder's.
      const now = await readSmallFile(file, MAX_LEASE_BYTES).catch(() => undefined)
      if (now !== undefined && parseLease(now)?.nonce === record.nonce) await rm(file, { force: true })
      await fh.close()
    },
  }
}

async function write(fh: FileHandle, record: LeaseRecord, sync = true): Promise<void> {
  await fh.write(formatLease(record), 0)
  if (sync) await fh.datasync()
}

function noLease(waited: boolean): BlobLease {
  return { held: false, waited, release: async () => {} }
}
