// What a pull will do for each selected file, from the tree and what is already on disk. Pure: the
// caller gathers the disk state (statesOf in index.ts); the same plan drives --dry-run and the real pull.
import type { TreeFile } from '../hub/hub.js'
import type { Expected } from '../content-hash.js'

export type Action = 'skip' | 'link' | 'fetch'

export interface FileState {
  /** The verified content is on disk (blobs/<etag>, or an up-to-date file in --local-dir). */
  complete: boolean
  /** The snapshot path (or local file) already points at it: nothing to do at all. */
  linked: boolean
  /** Bytes of a partial download that a resume keeps. */
  partial: number
}

export interface PlannedFile {
  path: string
  size: number
  /** The blob name: sha256 for LFS files, git blob sha1 otherwise (huggingface_hub's naming). */
  etag: string
  lfs: boolean
  expected: Expected
  action: Action
  partial: number
}

export interface Plan {
  files: PlannedFile[]
  totalBytes: number
  /** Bytes already complete on disk (reused, not downloaded). */
  cachedBytes: number
  /** Bytes a pull transfers if nothing fails: the missing part of every fetched blob. */
  downloadBytes: number
}

export function expectedFor(f: TreeFile): Expected {
  return f.lfs
    ? { algorithm: 'sha256', hex: f.lfs.oid, size: f.lfs.size }
    : { algorithm: 'git-sha1', hex: f.oid, size: f.size }
}

/**
 * `refetch` (--force-download): every file is fetched again, as if nothing were on disk. What is there stays
 * visible until its fresh copy has been verified and moved over it (publish.ts), so a loader never sees a gap.
 */
export function planPull(files: TreeFile[], stateOf: (f: TreeFile, etag: string) => FileState, { refetch = false } = {}): Plan {
  const fetching = new Set<string>()
  let cachedBytes = 0
  const planned = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f): PlannedFile => {
      const expected = expectedFor(f)
      const etag = expected.hex
      const s = refetch ? { ...stateOf(f, etag), complete: false, linked: false } : stateOf(f, etag)
      // Two paths with the same content share a blob: it is fetched once and linked twice.
      const action: Action = s.complete || fetching.has(etag) ? (s.linked ? 'skip' : 'link') : 'fetch'
      if (action === 'fetch') fetching.add(etag)
      if (s.complete) cachedBytes += f.size
      return { path: f.path, size: f.size, etag, lfs: Boolean(f.lfs), expected, action, partial: action === 'fetch' ? s.partial : 0 }
    })
  const fetched = planned.filter((f) => f.action === 'fetch')
  return {
    files: planned,
    totalBytes: planned.reduce((n, f) => n + f.size, 0),
    cachedBytes,
    downloadBytes: fetched.reduce((n, f) => n + f.size - f.partial, 0),
  }
}
