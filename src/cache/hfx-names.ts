// The names of the files hfx itself makes, and the patterns that recognise them (and huggingface_hub's
// partials) when a cache is scanned, pruned or resumed from. Pure: names in, names out.
//
// Partial downloads, hfx's and huggingface_hub's, sit beside the blob (or local file) they will become.
// hfx writes chunks at their offsets, so its partial files have holes until they are done. huggingface_hub
// 0.x resumes `<etag>.incomplete` from its length, believing it a prefix: had hfx used that name, a client
// resuming after a Ctrl-C of hfx would have published zeros. So hfx's partials carry a name no version of
// huggingface_hub reads or deletes as its own (0.x: exactly `<base>.incomplete`; ≥ 1.18: a fresh
// `<base>.<8 hex>.incomplete` per process; `hf cache prune` ≥ 1.x: every `*.incomplete`):
//   <base>.hfx-<host tag>-<pid>.partial        the bytes, private to one process
//   <base>.hfx-<host tag>-<pid>.partial.parts  which byte ranges are on disk (part-state.ts)
// The owner in the name lets a later run tell an abandoned partial (its process is gone) from one still
// being written, without any lock.
//
// Files replaced atomically (refs, snapshot links, metadata) are first written at `<name>.hfx-<hex>.tmp`
// (publish.ts); a sidecar is replaced through `<sidecar>.<hex>.tmp` (part-state.ts). A crash may leave
// either behind: scans recognise them as hfx's, never as a ref or a partial of their own.
//
// Snapshot manifests live inside the repo folder, `<repo folder>/.hfx/manifests/<commit>.json`, where
// huggingface_hub's scanners never look and from where they go with the folder (hfx-state.ts).
import path from 'node:path'

export interface PartialOwner {
  /** 8 hex digits of a hash of the host name: pids are only comparable on the same host. */
  host: string
  pid: number
}

export type PartialName =
  /** hfx's own partial (or its sidecar, or a sidecar being replaced). */
  | { kind: 'hfx'; base: string; owner: PartialOwner; file: 'data' | 'sidecar' | 'tmp' }
  /** huggingface_hub 0.x (`<base>.incomplete`), or hfx before 0.2 (then with a `.parts` sidecar). */
  | { kind: 'fixed'; base: string; file: 'data' | 'sidecar' | 'tmp' }
  /** huggingface_hub ≥ 1.18: one per process, deleted on failure, left behind only by a crash. */
  | { kind: 'unique'; base: string; file: 'data' }

export const SIDECAR_SUFFIX = '.parts'

export function hfxPartialName(base: string, owner: PartialOwner): string {
  return `${base}.hfx-${owner.host}-${owner.pid}.partial`
}

export function sidecarName(partial: string): string {
  return `${partial}${SIDECAR_SUFFIX}`
}

const HFX = /^(.+)\.hfx-([0-9a-f]{8})-(\d{1,10})\.partial(\.parts(\.[0-9a-f]+\.tmp)?)?$/
const FIXED = /^(.+)\.incomplete(\.parts(\.[0-9a-f]+\.tmp)?)?$/
const UNIQUE = /^(.+)\.([0-9a-f]{8})$/

function part(sidecar: string | undefined, tmp: string | undefined): 'data' | 'sidecar' | 'tmp' {
  return tmp ? 'tmp' : sidecar ? 'sidecar' : 'data'
}

/** Undefined for a name that is no partial download of either tool. */
export function parsePartialName(name: string): PartialName | undefined {
  const h = HFX.exec(name)
  if (h) return { kind: 'hfx', base: h[1], owner: { host: h[2], pid: Number(h[3]) }, file: part(h[4], h[5]) }
  const f = FIXED.exec(name)
  if (!f) return undefined
  const u = f[2] ? undefined : UNIQUE.exec(f[1])
  if (u) return { kind: 'unique', base: u[1], file: 'data' }
  return { kind: 'fixed', base: f[1], file: part(f[2], f[3]) }
}

/** The sidecar being written to replace `sidecar`'s current one: `nonce` keeps concurrent writers apart. */
export function sidecarTmpName(partial: string, nonce: string): string {
  return `${sidecarName(partial)}.${nonce}.tmp`
}

/** The temporary name a file replaced atomically is written under (publish.ts). */
export function writeTmpName(target: string, nonce: string): string {
  return `${target}.hfx-${nonce}.tmp`
}

const WRITE_TMP = /\.hfx-[0-9a-f]+\.tmp$/

/** Whether `name` is a temporary file of an atomic replace (left by a crash): not a ref, not a link. */
export function isWriteTmp(name: string): boolean {
  return WRITE_TMP.test(name)
}

/** hfx's own folder: inside a repo folder, and (hfx 0.1 only) at the cache root. */
export const HFX_DIR = '.hfx'

/** The manifests folder below a repo folder, segment by segment (for checks made folder by folder). */
export const MANIFESTS_SEGMENTS: readonly string[] = [HFX_DIR, 'manifests']

export function manifestsDir(repoDir: string): string {
  return path.join(repoDir, ...MANIFESTS_SEGMENTS)
}

const MANIFEST_SUFFIX = '.json'

export function manifestName(commit: string): string {
  return `${commit}${MANIFEST_SUFFIX}`
}

export function manifestPath(repoDir: string, commit: string): string {
  return path.join(manifestsDir(repoDir), manifestName(commit))
}

/** The commit a file name in manifestsDir() is the manifest of, or undefined for another file. */
export function manifestCommit(name: string): string | undefined {
  return name.endsWith(MANIFEST_SUFFIX) && name.length > MANIFEST_SUFFIX.length ? name.slice(0, -MANIFEST_SUFFIX.length) : undefined
}

// A blob's lease (pull/blob-lease.ts) sits beside its lock file: `<etag>.hfx-lease` in `.locks/<repo folder>`,
// `<file>.hfx-lease` in a local folder's `.cache/huggingface/download/`. A lease moved aside to be taken over
// is `<lease>.<nonce>.stale` for the moment it takes to check it.
const LOCK_SUFFIX = '.lock'
const LEASE_SUFFIX = '.hfx-lease'

/** The lease file beside a blob's lock file (huggingface_hub's name, ending in `.lock`). */
export function leasePathFor(lockFile: string): string {
  return (lockFile.endsWith(LOCK_SUFFIX) ? lockFile.slice(0, -LOCK_SUFFIX.length) : lockFile) + LEASE_SUFFIX
}

export function leaseAsideName(lease: string, nonce: string): string {
  return `${lease}.${nonce}.stale`
}
