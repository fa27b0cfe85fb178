// One process at a time fetches a given blob, whichever client it is: hfx takes the very lock huggingface_hub
// takes (`.locks/<repo folder>/<etag>.lock` in the cache, `.cache/huggingface/download/<path>.lock` in a
// local folder), an flock(2) on that file as Python's filelock takes it. So hfx waits for `hf download`,
// transformers or vLLM fetching the same blob, and they wait for hfx.
//
// Why flock through fs-ext: Node has no flock of its own, and only the same kind of lock excludes Python's
// filelock (POSIX fcntl locks and flock locks do not see each other on Linux). fs-ext is the maintained
// native binding for it (a few lines of C around flock(2)). It is an optional dependency: where it could
// not be built, or where the filesystem refuses flock, hfx goes on without a lock.
//
// The lock file is never deleted or truncated: a lock file removed while someone holds it lets the next
// process lock a new inode, and two "holders" then write at once. (Python's filelock leaves them too.)
//
// Correctness never rests on this lock. Lustre, GPFS and some NFS mounts grant flock to everybody; that is
// why every download goes to a partial file private to its process, and a blob appears only by renaming a
// file whose hash matched (claim-partial.ts, publish.ts). A lock that does not hold costs bandwidth only.
// So the wait is bounded: huggingface_hub's WeakFileLock waits forever (logging every 10 s), and a holder
// that hangs — a stopped process, a dead NFS client whose lock the server keeps — would hold hfx forever.
// hfx waits as long as the holder shows progress (its partial file of the blob changes), says every
// NOTICE_MS that it is waiting and why, and after `patienceMs` without progress goes on without the lock.
// A symlink at the lock's name, or in its folders, is never followed: no lock then either.
import { constants } from 'node:fs'
import { lstat, open, type FileHandle } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { sleep } from '../retry/with-retry.js'

const POLL_MS = 200
/** How often the holder's progress is looked at (a directory listing and a few lstat), at most. */
const ACTIVITY_MS = 5_000
/** How often a waiting pull says so again. */
export const NOTICE_MS = 30_000
/** Default patience: 10 minutes in which the holder's partial file did not change at all. HFX_LOCK_WAIT sets it. */
export const LOCK_PATIENCE_MS = 10 * 60_000
/** huggingface_hub ≥ 0.27 creates lock files group-writable so users sharing a cache can wait on them. */
const LOCK_MODE = 0o664

type Flock = (fd: number, flags: 'exnb' | 'un') => void

/** fs-ext's flockSync, or undefined where the native module is missing. Loaded once, on the first lock. */
let flockImpl: Flock | undefined | null = null
function flockSync(): Flock | undefined {
  if (flockImpl === null) {
    try {
      flockImpl = (createRequire(import.meta.url)('fs-ext') as { flockSync: Flock }).flockSync
    } catch {
      flockImpl = undefined
    }
  }
  return flockImpl
}

export interface BlobLock {
  /** False when no lock could be taken (no flock support, or waited out): the pull goes on, correct but maybe duplicated. */
  readonly held: boolean
  /** True when another process held it at some point while we asked. */
  readonly waited: boolean
  release(): Promise<void>
}

/** What a waiting pull reports: first when it starts waiting, then every NOTICE_MS, and once more if it gives up. */
export interface LockWait {
  lockPath: string
  waitedMs: number
  patienceMs: number
  /** The holder made no progress for patienceMs: the pull goes on without the lock. */
  gaveUp: boolean
  /** A lease (blob-lease.ts), held by a process on this or another host, rather than the lock. */
  lease?: boolean
}

export interface LockOptions {
  signal: AbortSignal
  /** How long to wait without seeing the holder make progress before going on without the lock. */
  patienceMs: number
  /** Something that changes while the holder works (its partial file growing); looked at every ACTIVITY_MS. */
  activity?: () => Promise<string>
  onWait?: (w: LockWait) => void
  /** False: return 'busy' at once when another process holds it (the pull does other files first). */
  wait?: boolean
}

function noLock(waited = false): BlobLock {
  return { held: false, waited, release: async () => {} }
}

/** Waits for the lock, within LockOptions.patienceMs; `lockPath` undefined means there is none to take. */
export async function acquireBlobLock(lockPath: string | undefined, opts: LockOptions): Promise<BlobLock | 'busy'> {
  const flock = flockSync()
  if (!flock || !lockPath) return noLock()
  const started = Date.now()
  // Several looks within the patience, so that a short HFX_LOCK_WAIT still sees a working holder.
  const lookEvery = Math.min(ACTIVITY_MS, Math.max(POLL_MS, opts.patienceMs / 4))
  let lastNotice = 0
  let lastChange = started
  let lastLook = started
  /** The holder's activity at the last look; null before the first. */
  let seen: string | undefined | null = null
  for (;;) {
    const fh = await openLockFile(lockPath)
    if (!fh) return noLock(lastNotice > 0)
    const got = tryLock(flock, fh)
    if (got === 'unsupported') {
      await fh.close()
      return noLock(lastNotice > 0)
    }
    if (got === 'locked') {
      // Whoever held it may have deleted the file (an older client) before we locked it: a lock on an
      // unlinked inode excludes nobody, so lock the file that is there now.
      if (await samePath(fh, lockPath)) return held(flock, fh, lastNotice > 0)
      flock(fh.fd, 'un')
    }
    await fh.close()
    if (got !== 'busy') continue
    if (opts.wait === false) return 'busy'
    const now = Date.now()
    if (opts.activity && (seen === null || now - lastLook >= lookEvery)) {
      lastLook = now
      const a = await opts.activity().catch(() => undefined)
      if (seen !== null && a !== seen) lastChange = now
      seen = a
    }
    const wait = { lockPath, waitedMs: now - started, patienceMs: opts.patienceMs }
    if (now - lastChange >= opts.patienceMs) {
      opts.onWait?.({ ...wait, gaveUp: true })
      return noLock(true)
    }
    if (lastNotice === 0 || now - lastNotice >= NOTICE_MS) {
      lastNotice = now
      opts.onWait?.({ ...wait, gaveUp: false })
    }
    await sleep(Math.min(POLL_MS, opts.patienceMs), opts.signal)
  }
}

/**
 * Opens the lock file, creating it if needed; undefined when it cannot be used. No O_TRUNC: the file may be
 * another process's lock, and its content means nothing. O_NOFOLLOW: a symlink at the name is not ours
 * to follow. A file we may only read (another user's, umask 022) still takes an flock: read-only is enough.
 */
async function openLockFile(lockPath: string): Promise<FileHandle | undefined> {
  const { O_RDWR, O_RDONLY, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants
  const fh = await open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, LOCK_MODE)
    .catch((err: NodeJS.ErrnoException) => (err.code === 'EACCES' ? open(lockPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) : Promise.reject(err)))
    .catch(unlockable)
  if (!fh) return undefined
  // A fifo or a device at the name is not a lock file either.
  if ((await fh.stat()).isFile()) return fh
  await fh.close()
  return undefined
}

/**
 * A lock file that cannot be used (a `.locks/` another user owns in a shared cache, a file nobody may read,
 * a read-only mount, a folder or a symlink in its place): the pull goes on without the lock, which only
 * ever saved bandwidth.
 */
function unlockable(err: NodeJS.ErrnoException): undefined {
  if (['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENXIO', 'ENOENT'].includes(err.code ?? '')) return undefined
  throw err
}

function tryLock(flock: Flock, fh: FileHandle): 'locked' | 'busy' | 'unsupported' {
  try {
    flock(fh.fd, 'exnb')
    return 'locked'
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 'busy'
    // ENOLCK, EOPNOTSUPP, EINVAL, ENOSYS: this filesystem has no flock.
    return 'unsupported'
  }
}

async function samePath(fh: FileHandle, lockPath: string): Promise<boolean> {
  const [a, b] = await Promise.all([fh.stat(), lstat(lockPath).catch(() => undefined)])
  return b !== undefined && a.ino === b.ino && a.dev === b.dev
}

function held(flock: Flock, fh: FileHandle, waited: boolean): BlobLock {
  let released = false
  return {
    held: true,
    waited,
    async release() {
      if (released) return
      released = true
      // Closing the descriptor drops the lock too; unlocking first makes the order explicit.
      try {
        flock(fh.fd, 'un')
      } finally {
        await fh.close()
      }
    },
  }
}
