// What a pull says while another process holds a blob's lock (pull/blob-lock.ts) or lease (pull/blob-lease.ts): that it waits, for whom,
// how long it has, and, if the holder stalls, that it goes on without the lock. Pure.
import { formatDuration } from '../format.js'
import type { LockWait } from '../pull/blob-lock.js'

export function waitingText(path: string, w: LockWait): string {
  if (w.lease) return leaseText(path, w)
  if (w.gaveUp) {
    return `warning: the process holding ${w.lockPath} showed no progress for ${formatDuration(w.patienceMs)}; downloading ${path} without the lock (HFX_LOCK_WAIT sets how long to wait)`
  }
  const limit = `hfx goes on without it after ${formatDuration(w.patienceMs)} without progress`
  if (w.waitedMs < 1000) return `waiting: another process is downloading ${path} (it holds ${w.lockPath}; ${limit})`
  return `waiting: another process is still downloading ${path} (${formatDuration(w.waitedMs)} so far; ${limit})`
}

/** The lease of a cache shared by several hosts (pull/blob-lease.ts): its holder may be on another machine. */
function leaseText(path: string, w: LockWait): string {
  const stale = formatDuration(w.patienceMs)
  if (w.gaveUp) return `note: the process holding ${w.lockPath} stopped renewing it for ${stale}; taking over its download of ${path}`
  const limit = `hfx takes over if it stops renewing its lease for ${stale}`
  if (w.waitedMs < 1000) return `waiting: another process, maybe on another host, is downloading ${path} (it holds ${w.lockPath}; ${limit})`
  return `waiting: another process is still downloading ${path} (${formatDuration(w.waitedMs)} so far; ${limit})`
}
