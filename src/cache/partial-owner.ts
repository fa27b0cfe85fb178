// Whose partial download a file is (hfx-names.ts names the owner): this process, another hfx process
// on this host that is still running, or one that is gone. The pull uses it to take over leftovers only
// from owners that are gone; `cache prune` to never delete what a running pull is writing.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { PartialOwner } from './hfx-names.js'

let me: PartialOwner | undefined
export function thisOwner(): PartialOwner {
  me ??= { host: createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8), pid: process.pid }
  return me
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

/**
 * A process that has exited but that its parent has not reaped yet still answers kill(pid, 0). Its files
 * and locks are closed, so a pull that got the lock the moment it exited must see it as gone; Linux shows
 * the state in /proc (elsewhere: assumed alive, which only costs a download).
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return false
  }
}

/** True only when the owner surely runs: on this host (pids of other hosts mean nothing here), pid alive. */
export function ownerRunning(owner: PartialOwner): boolean {
  return owner.host === thisOwner().host && (owner.pid === process.pid || pidAlive(owner.pid))
}
