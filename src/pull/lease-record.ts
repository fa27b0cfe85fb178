// What a blob's lease file says (blob-lease.ts), and what a process that finds one concludes. Pure.
//
// The file holds one line: `hfx-lease 1 <host tag> <pid> <nonce> <beat>`. The holder rewrites it in place
// every beat with the counter one higher (fixed width, so the file never shrinks and a reader never sees half
// an old line); a reader compares what it reads with what it read before, on its own clock. Hosts' clocks
// and a shared filesystem's timestamps are never compared: they disagree across hosts, and NFS caches them.
import type { PartialOwner } from '../cache/hfx-names.js'

export interface LeaseRecord {
  owner: PartialOwner
  /** Random per lease: tells this holder's lease from a later one of the same process. */
  nonce: string
  beat: number
}

const BEAT_DIGITS = 12
const LINE = /^hfx-lease 1 ([0-9a-f]{8}) (\d{1,10}) ([0-9a-f]{16}) (\d{12})\n$/

export function formatLease(r: LeaseRecord): string {
  return `hfx-lease 1 ${r.owner.host} ${r.owner.pid} ${r.nonce} ${String(r.beat % 10 ** BEAT_DIGITS).padStart(BEAT_DIGITS, '0')}\n`
}

/** Undefined for anything else: a lease being written (empty), or a file that is no lease of ours. */
export function parseLease(text: string): LeaseRecord | undefined {
  const m = LINE.exec(text)
  if (!m) return undefined
  return { owner: { host: m[1]!, pid: Number(m[2]) }, nonce: m[3]!, beat: Number(m[4]) }
}

/** What a process has seen of a lease held by someone else, across its looks at it. */
export interface LeaseSighting {
  /** The file's text at this look. */
  text: string
  /** Since when (this process's clock) the text has read the same. */
  sameSinceMs: number
  nowMs: number
}

export interface LeaseFacts {
  /** This process's host tag (hfx-names.ts). */
  host: string
  /** Whether a pid of this host runs (only asked for a lease of this host). */
  pidAlive: (pid: number) => boolean
  /** How long a lease may go without a beat before its holder counts as gone. */
  staleMs: number
}

/**
 * 'gone': its holder is an hfx process of this host that no longer runs (Ctrl-C, kill -9), or one that has
 * not beaten for staleMs (a host that died, a process stopped on another node): it may be taken over.
 * 'held': someone is fetching the blob; wait, or do other files first.
 */
export function leaseVerdict(s: LeaseSighting, f: LeaseFacts): 'held' | 'gone' {
  const r = parseLease(s.text)
  // A pid of this host that runs may be another process by now (pids are reused): the beat still decides.
  if (r && r.owner.host === f.host && !f.pidAlive(r.owner.pid)) return 'gone'
  return s.nowMs - s.sameSinceMs >= f.staleMs ? 'gone' : 'held'
}
