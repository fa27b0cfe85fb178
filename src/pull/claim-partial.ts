// Finds this process its own partial file for a blob, taking over what an earlier download left behind.
//
// Every download writes to a file private to its process (hfx-names.ts), so no two writers ever share
// an inode: if locks fail (Lustre, GPFS, NFS, containers that cannot see each other's pids), two processes
// fetch the same bytes twice, but neither can publish bytes the other wrote after its hash was checked.
// A leftover is taken over
//   - by rename, when its owner is provably gone: an hfx process on this host whose pid no longer exists
//     (Ctrl-C, kill -9, a crash) — the normal resume, free whatever the size;
//   - by copy, when its owner cannot be checked but the file has been quiet for STALE_MS (hfx on another
//     host sharing the cache), or when it is huggingface_hub's (whose writer appends with O_APPEND and would
//     keep appending to a renamed inode if its lock did not hold): we copy, then delete theirs;
//   - never, while it may still be written (a live owner, or fresh and unverifiable): it is left alone and
//     this download starts its own file.
// huggingface_hub's files are true prefixes (it writes in order); hfx's own carry their done ranges in the
// sidecar, which is read before the data is copied, so the ranges never claim more than was copied.
import { constants } from 'node:fs'
import { access, lstat, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { hfxPartialName, parsePartialName, sidecarName, type PartialOwner } from '../cache/hfx-names.js'
import { pidAlive, thisOwner } from '../cache/partial-owner.js'
import { copyExclusive } from '../no-follow.js'
import { partialBytes } from './part-state.js'
import { takeOverHow, type OwnerState } from './take-over.js'

/** A partial whose owner cannot be checked counts as abandoned after this long without a write. */
export const STALE_MS = 30_000

export interface PartialSite {
  /** The folder partials live in: blobs/, or the local folder's .cache/huggingface/download/<dir>. */
  dir: string
  /** hfx's base name: the etag in the cache; `<file name>.<etag>` in a local folder. */
  base: string
  /** Bases of huggingface_hub's own partials of the same content (its local folders name them differently). */
  foreignBases: string[]
  /** The partial files (and sidecars) of these bases found in `dir` when the pull started (PartialListing). */
  names: string[]
}

/**
 * The partial files of a folder, read once per pull and grouped by base: blobs/ of a repo with 2,000 files
 * is listed once, not once per file. A partial another process creates after that is not seen: it costs
 * bandwidth, never correctness.
 */
export class PartialListing {
  private readonly dirs = new Map<string, Promise<Map<string, string[]>>>()

  /** `fresh`: list the folder again (after waiting for another process's lock, its leftovers are new). */
  async names(dir: string, bases: string[], fresh = false): Promise<string[]> {
    let listing = this.dirs.get(dir)
    if (!listing || fresh) {
      listing = readdir(dir).then(groupByBase, () => new Map<string, string[]>())
      this.dirs.set(dir, listing)
    }
    const byBase = await listing
    return bases.flatMap((b) => byBase.get(b) ?? [])
  }
}

function groupByBase(names: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const name of names) {
    const p = parsePartialName(name)
    if (p) out.set(p.base, [...(out.get(p.base) ?? []), name])
  }
  return out
}

interface Candidate {
  name: string
  how: 'rename' | 'copy'
  /** A sidecar to carry over (hfx's own, or an older hfx's `<etag>.incomplete.parts`). */
  sidecar?: string
  bytes: number
  /**
   * Copied but left in place: another host's partial, written recently, taken only because the lease is ours.
   * Its writer may be an hfx that takes no lease (an older one): deleting the file would fail its publish.
   */
  keep: boolean
}

/**
 * A process drops its flock when the kernel closes its files on exit, a moment before it shows as a zombie
 * or gone: a pull that got the lock just then would take the holder for alive and start over. With the lock
 * in hand, the holder is given `settleMs` to finish exiting.
 */
const EXIT_SETTLE_MS = 2_000

async function stillAlive(pid: number, settleMs: number): Promise<boolean> {
  for (const end = Date.now() + settleMs; pidAlive(pid); ) {
    if (Date.now() >= end) return true
    await new Promise((r) => setTimeout(r, 25))
  }
  return false
}

async function ownerState(of: PartialOwner, me: PartialOwner, settleMs: number): Promise<OwnerState> {
  if (of.host !== me.host) return 'other host'
  if (of.pid === me.pid) return 'this process'
  return (await stillAlive(of.pid, settleMs)) ? 'alive' : 'gone'
}

/** Partials of this content on disk that this process may take over, best first. */
async function candidates(
  site: PartialSite,
  etag: string,
  size: number,
  lockHeld: boolean,
  owner: PartialOwner,
  settleMs = 0,
  /** The blob's lease is ours (blob-lease.ts): no live hfx of another host writes a partial of it. */
  leaseHeld = false,
): Promise<Candidate[]> {
  const present = new Set(site.names)
  const found: Candidate[] = []
  for (const name of site.names) {
    const p = parsePartialName(name)
    if (p?.file !== 'data') continue
    const file = path.join(site.dir, name)
    // lstat: a symlink named like a partial is nobody's download; it is neither taken over nor followed.
    const st = await lstat(file).catch(() => undefined)
    if (!st?.isFile()) continue
    const quiet = Date.now() - st.mtimeMs >= STALE_MS
    let how = takeOverHow(p, {
      base: site.base,
      foreignBases: site.foreignBases,
      owner: p.kind === 'hfx' && p.base === site.base ? await ownerState(p.owner, owner, settleMs) : undefined,
      quiet,
      hasSidecar: present.has(sidecarName(name)),
      lockHeld,
      leaseHeld,
    })
    if (!how) continue
    // Another user's leftover (a shared cache): one we cannot read is of no use, and one we cannot write
    // must be copied, not renamed, or every later run would fail opening it the same way.
    if (!(await access(file, constants.R_OK).then(() => true, () => false))) continue
    if (how === 'rename' && !(await access(file, constants.W_OK).then(() => true, () => false))) how = 'copy'
    let sidecar = present.has(sidecarName(name)) ? sidecarName(name) : undefined
    if (sidecar && !(await lstat(path.join(site.dir, sidecar)).then((s) => s.isFile(), () => false))) {
      // A sidecar that is not a file (a folder) says nothing; carried over, it would stop every later write
      // of ours. Dropped here, the data is taken as a prefix, and the final hash decides.
      if (how === 'rename') await rm(path.join(site.dir, sidecar), { recursive: true, force: true })
      sidecar = undefined
    }
    const bytes = sidecar || p.kind === 'hfx' ? await partialBytes(file, etag, size) : Math.min(st.size, size)
    found.push({ name, how, sidecar, bytes, keep: how === 'copy' && !quiet && p.kind === 'hfx' })
  }
  return found.sort((a, b) => b.bytes - a.bytes)
}

/** Bytes a pull would keep from what is on disk, changing nothing (for plans and --dry-run). */
export async function resumableBytes(site: PartialSite, etag: string, size: number): Promise<number> {
  return (await candidates(site, etag, size, true, thisOwner()))[0]?.bytes ?? 0
}

/**
 * Returns the path of this process's partial for `site`, holding whatever could be taken over. `lockHeld`
 * says whether the blob lock is ours: huggingface_hub writes its partials only under that lock. Leftovers
 * that could be taken over but hold less are deleted: they would only fill the disk.
 */
export async function claimPartial(site: PartialSite, etag: string, size: number, lockHeld: boolean, leaseHeld = false, owner = thisOwner()): Promise<string> {
  const own = path.join(site.dir, hfxPartialName(site.base, owner))
  let claimed = false
  for (const c of await candidates(site, etag, size, lockHeld, owner, lockHeld ? EXIT_SETTLE_MS : 0, leaseHeld)) {
    const from = path.join(site.dir, c.name)
    if (!claimed && c.bytes > 0) claimed = await takeOver(c, from, own)
    else if (from !== own && !c.keep) await removePartial(from, c.sidecar && path.join(site.dir, c.sidecar))
  }
  return own
}

/**
 * Deletes the leftovers of a file whose verified content is already in place (another tool finished it):
 * those of gone or quiet owners only, never one that may still be written.
 */
export async function removeLeftovers(site: PartialSite, etag: string, size: number): Promise<void> {
  const ours = hfxPartialName(site.base, thisOwner())
  for (const c of await candidates(site, etag, size, false, thisOwner())) {
    if (c.name !== ours) await removePartial(path.join(site.dir, c.name), c.sidecar && path.join(site.dir, c.sidecar))
  }
}

async function takeOver(c: Candidate, from: string, own: string): Promise<boolean> {
  if (from === own) return true
  const fromSidecar = c.sidecar && path.join(path.dirname(from), c.sidecar)
  try {
    if (c.how === 'rename') {
      // Sidecar first: without it, the data would be taken for a prefix.
      await rm(sidecarName(own), { force: true })
      if (fromSidecar) await rename(fromSidecar, sidecarName(own))
      await rename(from, own)
      return true
    }
    // Copies are made under our own names with O_EXCL, reading their sources with O_NOFOLLOW: whatever
    // sits at either name (a planted link, say) is neither written through nor read through.
    await removePartial(own, sidecarName(own))
    if (fromSidecar) await copyExclusive(fromSidecar, sidecarName(own))
    await copyExclusive(from, own)
    if (!c.keep) await removePartial(from, fromSidecar)
    return true
  } catch (err) {
    // Another process took it first, it vanished, or a link took its place: start from what we have.
    if (!['ENOENT', 'ELOOP'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err
    await removePartial(own, sidecarName(own))
    return false
  }
}

async function removePartial(file: string, sidecar?: string): Promise<void> {
  if (sidecar) await rm(sidecar, { force: true })
  await rm(file, { force: true })
}

/**
 * A fingerprint of the partial files of this content (names, sizes, times): it changes while whoever holds
 * the blob's lock is downloading it, so a waiting pull can tell a working holder from a stuck one.
 */
export async function siteActivity(site: PartialSite): Promise<string> {
  const seen: string[] = []
  for (const name of site.names) {
    const st = await lstat(path.join(site.dir, name)).catch(() => undefined)
    if (st?.isFile()) seen.push(`${name}:${st.size}:${st.blocks}:${st.mtimeMs}`)
  }
  return seen.sort().join('\n')
}
