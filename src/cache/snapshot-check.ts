// What `hfx cache verify` checks in one snapshot and what counts as wrong. Pure: it compares the scan with
// an expectation (the Hub's tree at the commit, hfx's manifest, or the blob names themselves) and leaves
// the hashing to verify-snapshot.ts.
import type { TreeFile } from '../hub/hub.js'
import type { Expected } from '../content-hash.js'
import type { Snapshot, SnapshotFile } from './cached-repo.js'

export type ProblemKind =
  | 'missing' // the snapshot should hold this file (Hub listing with --complete, or hfx's manifest) and does not
  | 'dangling' // a link into blobs/ whose blob is gone
  | 'corrupt' // the bytes do not match the size or hash they should have
  | 'extra' // in the snapshot, not in the commit
  | 'foreign' // a link that leads outside blobs/ (or a fifo/socket): never followed, so never checked

export interface Problem {
  path: string
  kind: ProblemKind
  detail: string
  /** The blob the snapshot links, when there is one. */
  blob?: string
  /** The blob is named for the very hash its bytes fail, so it is bad for every snapshot that links it. */
  blobIsBad?: boolean
}

/** What the file at `path` should be. `size` is unknown when only a blob name vouches for it. */
export interface ExpectedFile {
  path: string
  algorithm: Expected['algorithm']
  hex: string
  size?: number
}

export interface Check {
  path: string
  file: SnapshotFile & { kind: 'blob' | 'file' }
  expected: ExpectedFile
}

export interface CheckPlan {
  checks: Check[]
  problems: Problem[]
  /** In the snapshot with nothing to check it against (a plain file offline, a blob with a non-hash name). */
  unchecked: string[]
  /** In the Hub listing, never downloaded into this snapshot (not a problem unless --complete). */
  absent: string[]
}

/** huggingface_hub names a blob by its etag: sha256 (64 hex) for LFS files, git blob sha1 (40 hex) for others. */
export function expectedFromName(path: string, name: string, size?: number): ExpectedFile | undefined {
  if (/^[0-9a-f]{64}$/.test(name)) return { path, algorithm: 'sha256', hex: name, size }
  if (/^[0-9a-f]{40}$/.test(name)) return { path, algorithm: 'git-sha1', hex: name, size }
  return undefined
}

/** The Hub's word on a file: sha256 and size for LFS files, the git blob sha1 for the others. */
export function expectedFromTree(f: TreeFile): ExpectedFile {
  return f.lfs
    ? { path: f.path, algorithm: 'sha256', hex: f.lfs.oid, size: f.size }
    : { path: f.path, algorithm: 'git-sha1', hex: f.oid, size: f.size }
}

/**
 * `listing` undefined: offline and no manifest, so each blob is checked against its own name and nothing
 * can be called missing or extra. A listed file absent from the snapshot is missing only if `required`
 * says so (hfx's manifest lists it, or --complete): a pull of a few files, as transformers does, leaves
 * most of a commit out on purpose.
 */
export function planChecks(
  snap: Snapshot,
  blobs: Set<string>,
  listing: ExpectedFile[] | undefined,
  required: (path: string) => boolean = () => false,
): CheckPlan {
  const plan: CheckPlan = { checks: [], problems: [], unchecked: [], absent: [] }
  const expected = new Map((listing ?? []).map((e) => [e.path, e]))
  for (const f of snap.files) {
    const want = listing ? expected.get(f.path) : f.kind === 'blob' ? expectedFromName(f.path, f.blob) : undefined
    if (listing && !want) {
      plan.problems.push({ path: f.path, kind: 'extra', detail: 'not in the commit', ...(f.kind === 'blob' ? { blob: f.blob } : {}) })
    } else if (f.kind === 'foreign') {
      plan.problems.push({ path: f.path, kind: 'foreign', detail: f.target ? `links outside blobs/ to ${f.target}` : 'not a file or a link into blobs/' })
    } else if (f.kind === 'blob' && !blobs.has(f.blob)) {
      plan.problems.push({ path: f.path, kind: 'dangling', detail: `links to blobs/${f.blob}, which is gone`, blob: f.blob })
    } else if (!want) {
      plan.unchecked.push(f.path)
    } else {
      plan.checks.push({ path: f.path, file: f, expected: want })
    }
  }
  const present = new Set(snap.files.map((f) => f.path))
  for (const e of listing ?? []) {
    if (present.has(e.path)) continue
    if (required(e.path)) plan.problems.push({ path: e.path, kind: 'missing', detail: 'in the commit, not in the snapshot' })
    else plan.absent.push(e.path)
  }
  return plan
}

/** The verdict on one hashed file. */
export function judge(c: Check, found: { hex: string; size: number }): Problem | undefined {
  const blob = c.file.kind === 'blob' ? { blob: c.file.blob, blobIsBad: c.file.blob === c.expected.hex } : {}
  if (c.expected.size !== undefined && found.size !== c.expected.size) {
    return { path: c.path, kind: 'corrupt', detail: `${found.size} bytes, expected ${c.expected.size}`, ...blob }
  }
  if (found.hex !== c.expected.hex) {
    return { path: c.path, kind: 'corrupt', detail: `${c.expected.algorithm} ${found.hex.slice(0, 12)}…, expected ${c.expected.hex.slice(0, 12)}…`, ...blob }
  }
  return undefined
}
