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
import { constants } from 'node:fs'
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { sleep } from '../retry/with-retry.js'

const POLL_MS = 200
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
  /** False when no lock could be taken (no flock support): the pull goes on, correct but maybe duplicated. */
  readonly held: boolean
  release(): Promise<void>
}

const NO_LOCK: BlobLock = { held: false, release: async () => {} }

/** Lock folders this process has already created. */
const lockDirs = new Set<string>()

/** Waits for the lock; `onWait` is called once if another process holds it. */
export async function acquireBlobLock(lockPath: string, signal: AbortSignal, onWait?: () => void): Promise<BlobLock> {
  const flock = flockSync()
  if (!flock) return NO_LOCK
  const dir = path.dirname(lockPath)
  if (!lockDirs.has(dir)) {
    if (!(await mkdir(dir, { recursive: true }).then(() => true, unlockable))) return NO_LOCK
    lockDirs.add(dir)
  }
  let waited = false
  for (;;) {
    // No O_TRUNC, no O_EXCL: the file may be another process's lock, and its content means nothing.
    const fh = await open(lockPath, constants.O_RDWR | constants.O_CREAT, LOCK_MODE).catch(unlockable)
    if (!fh) return NO_LOCK
    const got = tryLock(flock, fh)
    if (got === 'unsupported') {
      await fh.close()
      return NO_LOCK
    }
    if (got === 'locked') {
      // Whoever held it may have deleted the file (an older client) before we locked it: a lock on an
      // unlinked inode excludes nobody, so lock the file that is there now.
      if (await samePath(fh, lockPath)) return held(flock, fh)
      flock(fh.fd, 'un')
    }
    await fh.close()
    if (got === 'busy') {
      if (!waited) onWait?.()
      waited = true
      await sleep(POLL_MS, signal)
    }
  }
}

/**
 * A lock file that cannot be made (a `.locks/` another user owns in a shared cache, a read-only mount, a
 * folder in its place): the pull goes on without the lock, which only ever saved bandwidth.
 */
function unlockable(err: NodeJS.ErrnoException): undefined {
  if (['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR'].includes(err.code ?? '')) return undefined
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
  const [a, b] = await Promise.all([fh.stat(), stat(lockPath).catch(() => undefined)])
  return b !== undefined && a.ino === b.ino && a.dev === b.dev
}

function held(flock: Flock, fh: FileHandle): BlobLock {
  let released = false
  return {
    held: true,
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
