// One process at a time fetches a given blob. The lock is a file created exclusively (O_EXCL) holding the
// holder's pid and host, refreshed by a heartbeat, and taken over when its holder is gone: a dead pid on
// this host, or no heartbeat for STALE_MS. An empty lock file is huggingface_hub's (filelock leaves them
// behind) and holds nothing.
// Correctness never rests on this lock (NFS and Lustre make locks unreliable): a blob is published only
// after its hash matched. The lock only saves downloading the same bytes twice.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sleep } from '../retry/with-retry.js'

const HEARTBEAT_MS = 5_000
const STALE_MS = 30_000
const POLL_MS = 200
const EMPTY_RECHECK_MS = 50

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
  if (raw === '') {
    // Ours for a few microseconds between create and write; still empty a moment later, it is
    // huggingface_hub's leftover and holds nothing.
    await new Promise((r) => setTimeout(r, EMPTY_RECHECK_MS))
    return (await readFile(lockPath, 'utf8').catch(() => 'gone')) === ''
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

/** Lock folders this process has already created. */
const lockDirs = new Set<string>()

export interface BlobLock {
  release(): Promise<void>
}

/** Waits for the lock; `onWait` is called once if another process holds it. */
export async function acquireBlobLock(lockPath: string, signal: AbortSignal, onWait?: () => void): Promise<BlobLock> {
  const dir = path.dirname(lockPath)
  if (!lockDirs.has(dir)) {
    await mkdir(dir, { recursive: true })
    lockDirs.add(dir)
  }
  const me: Holder = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') }
  let waited = false
  for (;;) {
    const fd = await open(lockPath, 'wx').catch((err) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)))
    if (fd) {
      try {
        await fd.writeFile(JSON.stringify(me))
      } finally {
        await fd.close()
      }
      break
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
  const heartbeat = setInterval(() => {
    const now = new Date()
    utimes(lockPath, now, now).catch(() => {})
  }, HEARTBEAT_MS)
  heartbeat.unref()
  const acquired = Date.now()
  return {
    async release() {
      clearInterval(heartbeat)
      // Only remove the lock if it is still ours: after a pause longer than STALE_MS (a suspended laptop)
      // another process may have taken it over. Held for less, nobody could have, and the read is skipped.
      if (Date.now() - acquired >= STALE_MS / 2) {
        const current = await readFile(lockPath, 'utf8').catch(() => '')
        if (!current.includes(me.token)) return
      }
      await rm(lockPath, { force: true })
    },
  }
}
