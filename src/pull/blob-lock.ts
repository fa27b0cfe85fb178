// One process at a time fetches a given blob. The lock is a file created atomically with its content
// (written to a temp name, then hard-linked into place: link fails if the lock exists), refreshed by a
// heartbeat, and taken over when its holder is gone: a dead pid on this host, or no heartbeat for
// STALE_MS. An empty lock file is huggingface_hub's (filelock leaves them behind) and holds nothing.
// Correctness never rests on this lock (NFS and Lustre make locks unreliable): a blob is published only
// after its hash matched. The lock only saves downloading the same bytes twice.
import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sleep } from '../retry/with-retry.js'

const HEARTBEAT_MS = 5_000
const STALE_MS = 30_000
const POLL_MS = 200

interface Holder {
  pid: number
  host: string
  token: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  let raw: string
  let mtimeMs: number
  try {
    ;[raw, mtimeMs] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath).then((s) => s.mtimeMs)])
  } catch {
    return false // vanished between our attempts: just try again
  }
  let holder: Holder
  try {
    holder = JSON.parse(raw) as Holder
  } catch {
    return true
  }
  if (typeof holder?.pid !== 'number') return true
  if (holder.host === os.hostname() && !alive(holder.pid)) return true
  return Date.now() - mtimeMs > STALE_MS
}

export interface BlobLock {
  release(): Promise<void>
}

/** Waits for the lock; `onWait` is called once if another process holds it. */
export async function acquireBlobLock(lockPath: string, signal: AbortSignal, onWait?: () => void): Promise<BlobLock> {
  await mkdir(path.dirname(lockPath), { recursive: true })
  const me: Holder = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') }
  const tmp = `${lockPath}.${me.token}.tmp`
  await writeFile(tmp, JSON.stringify(me))
  let waited = false
  try {
    for (;;) {
      try {
        await link(tmp, lockPath)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      if (await isStale(lockPath)) {
        // Move it aside first: of several processes taking over, only one rename wins.
        const aside = `${lockPath}.${me.token}.stale`
        await rename(lockPath, aside).then(() => rm(aside, { force: true }), () => {})
        continue
      }
      if (!waited) onWait?.()
      waited = true
      await sleep(POLL_MS, signal)
    }
  } finally {
    await rm(tmp, { force: true })
  }
  const heartbeat = setInterval(() => {
    const now = new Date()
    utimes(lockPath, now, now).catch(() => {})
  }, HEARTBEAT_MS)
  heartbeat.unref()
  return {
    async release() {
      clearInterval(heartbeat)
      // Only remove the lock if it is still ours (it may have been taken over after a long pause).
      const current = await readFile(lockPath, 'utf8').catch(() => '')
      if (current.includes(me.token)) await rm(lockPath, { force: true })
    },
  }
}
