// Whether a leftover partial download may be taken over, and how: the decision claim-partial.ts makes for
// each partial it finds, once it has gathered the facts (whose it is, whether it is quiet, whether the blob
// lock is ours). Pure, so the table is tested directly.
import type { PartialName } from '../cache/hfx-names.js'

/** Whose an hfx partial is, as far as this process can tell. */
export type OwnerState = 'this process' | 'gone' | 'alive' | 'other host'

export interface LeftoverFacts {
  /** hfx's base name for this content in this folder. */
  base: string
  /** huggingface_hub's base names for the same content (its local folders name partials differently). */
  foreignBases: string[]
  /** For an hfx partial of this content: its owner. */
  owner?: OwnerState
  /** No write for STALE_MS: an owner that cannot be checked counts as having abandoned it. */
  quiet: boolean
  /** A `.parts` sidecar sits beside it. */
  hasSidecar: boolean
  /** The blob lock is ours: huggingface_hub writes its partials only under that lock. */
  lockHeld: boolean
  /**
   * hfx's lease of the blob is ours (blob-lease.ts): an hfx of another host writes its partial only while it
   * holds the lease, so one that left a partial has stopped (or lost the lease by being too slow to renew it).
   */
  leaseHeld?: boolean
}

/**
 * 'rename' when the owner is provably gone (the normal resume, free whatever the size); 'copy' when the owner
 * cannot be checked but has been quiet, or the file is huggingface_hub's (its writer would keep appending to
 * a renamed inode if its lock did not hold); undefined while it may still be written, or is not this content.
 */
export function takeOverHow(p: PartialName, f: LeftoverFacts): 'rename' | 'copy' | undefined {
  if (p.file !== 'data') return undefined
  if (p.kind === 'hfx') {
    if (p.base !== f.base) return undefined
    if (f.owner === 'this process' || f.owner === 'gone') return 'rename'
    // Copied, never renamed: a holder that was only slow may still write to its inode.
    return f.quiet || (f.owner === 'other host' && f.leaseHeld) ? 'copy' : undefined
  }
  // hfx before 0.2 (`<etag>.incomplete` + `.parts`): its writers are gone with the upgrade.
  if (p.kind === 'fixed' && p.base === f.base && f.hasSidecar) return 'rename'
  if (p.base === f.base || f.foreignBases.includes(p.base)) return f.lockHeld || f.quiet ? 'copy' : undefined
  return undefined
}
