// A ModelScope file listing turned into hfx's tree entries, plus the snapshot id a pull files it under.
// Pure: the entries come from list-files.ts, the caller keeps the result for the rest of the run.
import { createHash } from 'node:crypto'
import { ProtocolError } from '../../errors.js'
import { defaultRevision, type RepoRef } from '../../repo/repo-ref.js'
import { unsafeReason } from '../../repo/safe-path.js'
import type { TreeEntry, TreeFile } from '../hub.js'
import { MissingHashError } from './errors.js'

export interface Listing {
  entries: TreeEntry[]
  /** Paths ModelScope stores in LFS: the ones whose bytes may live behind a redirect to object storage. */
  lfsPaths: Set<string>
  /** The newest CommittedDate among the files, as an ISO date. */
  lastModified?: string
}

interface Ctx {
  ref: Pick<RepoRef, 'type' | 'id'>
  endpoint: string
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

function malformed(ctx: Ctx, what: string): ProtocolError {
  return new ProtocolError(`ModelScope's file listing for ${ctx.ref.id} has ${what}.`, 'Check MODELSCOPE_DOMAIN / --endpoint: it should point at ModelScope.')
}

/**
 * Validates every entry before anything is written: paths as the Hugging Face tree does (marked `unsafe`,
 * which collect-tree.ts refuses for anything that writes), sizes as counts, Sha256 as 64 hex. `Type: 'tree'` is a
 * folder; 'blob' (the API's word) and 'file' are files.
 * A path listed twice is refused: two answers for one path leave no way to tell which bytes are right.
 */
export function toListing(raw: unknown[], ctx: Ctx): Listing {
  const entries: TreeEntry[] = []
  const lfsPaths = new Set<string>()
  const seen = new Set<string>()
  let newest = 0
  for (const item of raw) {
    const e = item as Record<string, unknown>
    if (!e || typeof e !== 'object' || typeof e.Path !== 'string') {
      throw malformed(ctx, `a malformed entry: ${JSON.stringify(item)?.slice(0, 200)}`)
    }
    const path = e.Path
    const unsafe = unsafeReason(path)
    if (seen.has(path)) throw malformed(ctx, `${JSON.stringify(path)} twice`)
    seen.add(path)
    if (e.Type === 'tree') {
      entries.push(unsafe ? { type: 'directory', path, unsafe } : { type: 'directory', path })
      continue
    }
    if (e.Type !== 'blob' && e.Type !== 'file') throw malformed(ctx, `${JSON.stringify(path)} of unknown type ${JSON.stringify(e.Type)}`)
    if (!isCount(e.Size)) throw malformed(ctx, `${JSON.stringify(path)} with an invalid size`)
    const sha = typeof e.Sha256 === 'string' ? e.Sha256.toLowerCase() : ''
    // No fallback: the listing offers no other hash (no git blob id), and the library's own answer to a
    // missing Sha256 is to skip the check, which is the one thing hfx promises never to do.
    if (sha === '') throw new MissingHashError(ctx.ref, path, ctx.endpoint)
    if (!/^[0-9a-f]{64}$/.test(sha)) throw malformed(ctx, `${JSON.stringify(path)} with an invalid Sha256`)
    // Every file is verified by sha256 and stored under it, LFS or not: `lfs` is where TreeFile keeps that
    // hash. There is no git blob sha1 to put in `oid`, so it stays empty rather than invented.
    const file: TreeFile = { type: 'file', path, size: e.Size, oid: '', lfs: { oid: sha, size: e.Size } }
    if (unsafe) file.unsafe = unsafe
    entries.push(file)
    if (e.IsLFS === true) lfsPaths.add(path)
    if (isCount(e.CommittedDate)) newest = Math.max(newest, e.CommittedDate)
  }
  return { entries, lfsPaths, lastModified: newest > 0 ? new Date(newest * 1000).toISOString() : undefined }
}

/**
 * The folder name of this listing under snapshots/, and what refs/<revision> points at.
 *
 * ModelScope resolves revisions by name and gives no head commit for a branch. Its files carry the commit
 * that last changed them (`Revision`), sometimes abbreviated, but the newest of those is not the head: a
 * commit that only deletes files changes no remaining file, so two different file sets would share one
 * snapshot folder and the older one's links would linger in it. So the id is derived from the content:
 * sha1 over the sorted (path, sha256, size) lines. The same files always give the same id (a second pull
 * finds everything in place), any change gives a new one, and it has the 40-hex shape the cache expects.
 */
export function snapshotId(entries: TreeEntry[]): string {
  const lines = entries
    .filter((e): e is TreeFile => e.type === 'file')
    .map((f) => `${f.path}\0${f.lfs?.oid ?? f.oid}\0${f.size}\n`)
    .sort()
  const hash = createHash('sha1').update('hfx modelscope snapshot v1\n')
  for (const line of lines) hash.update(line)
  return hash.digest('hex')
}

export interface RevisionMap {
  branches: string[]
  tags: string[]
}

/** `Data.RevisionMap.{Branches,Tags}[].Revision`, as the revisions API answers. */
export function readRevisionMap(data: unknown, ctx: Ctx): RevisionMap {
  const map = (data as { RevisionMap?: { Branches?: unknown; Tags?: unknown } } | null)?.RevisionMap
  if (!map || typeof map !== 'object') throw malformed(ctx, 'no RevisionMap in its revisions answer')
  const names = (list: unknown): string[] =>
    Array.isArray(list) ? list.map((r) => (r as { Revision?: unknown })?.Revision).filter((n): n is string => typeof n === 'string') : []
  return { branches: names(map.Branches), tags: names(map.Tags) }
}

/** The library's default branch. */
export const DEFAULT_REVISION = defaultRevision({ hub: 'modelscope' })

/**
 * The revision name to list files at, or undefined when `requested` is neither a branch nor a tag. Without a
 * request: master, as the library does, or the only branch of a repo that has no master.
 */
export function pickRevision(map: RevisionMap, requested: string | undefined): string | undefined {
  if (requested !== undefined) return map.branches.includes(requested) || map.tags.includes(requested) ? requested : undefined
  if (map.branches.includes(DEFAULT_REVISION) || map.branches.length === 0) return DEFAULT_REVISION
  return map.branches.length === 1 ? map.branches[0] : undefined
}
