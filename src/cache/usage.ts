// What `hfx cache ls` shows, computed from a scan: sizes (each blob counted once), revisions with the refs
// naming them, last use. Pure; the numbers follow huggingface_hub's scan_cache_dir where it has one.
import type { HubName } from '../repo/hub-name.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { blobBytes, blobsUsedBy, refsTo, type CachedRepo } from './cached-repo.js'
import { knownCommits, revisionsOf } from './local-revision.js'

export interface RevisionUsage {
  commit: string
  refs: string[]
  /** Files in the snapshot (0 when a ref names a commit with no snapshot, e.g. only `.no_exist` markers). */
  files: number
  /** Bytes of the blobs this snapshot links, each once. */
  size: number
  snapshot: boolean
}

export interface RepoUsage {
  /** As `hfx cache rm` takes it: `org/name`, `datasets/org/name`, `ms://org/name` for ModelScope's cache. */
  repo: string
  hub: HubName
  type: CachedRepo['type']
  id: string
  folder: string
  /** Every complete blob, each once (st_size). */
  sizeOnDisk: number
  blobs: number
  /** Blobs no snapshot links: what `hfx cache prune` reclaims, with partials. */
  unusedBlobBytes: number
  partials: number
  partialBytes: number
  /** Nothing complete yet, only partial downloads: an interrupted first pull. */
  partialOnly: boolean
  /** huggingface_hub: last_accessed is the newest blob atime, last_modified the newest blob mtime. */
  lastAccessedMs: number
  lastModifiedMs: number
  revisions: RevisionUsage[]
}

export type SortKey = 'name' | 'size' | 'time'

export function repoUsage(repo: CachedRepo, hub: HubName = 'huggingface'): RepoUsage {
  const used = new Set(repo.snapshots.flatMap((s) => [...blobsUsedBy(s)]))
  const revisions = knownCommits(revisionsOf(repo)).map((commit): RevisionUsage => {
    const s = repo.snapshots.find((x) => x.commit === commit)
    const plain = s?.files.reduce((n, f) => n + (f.kind === 'file' ? f.size : 0), 0) ?? 0
    return { commit, refs: refsTo(repo, commit), files: s?.files.length ?? 0, size: s ? blobBytes(repo, blobsUsedBy(s)) + plain : 0, snapshot: Boolean(s) }
  })
  // A repo with partials only was last used when they were last written, not "never".
  const partialMtime = Math.max(0, ...repo.partials.map((p) => p.mtimeMs))
  return {
    repo: formatRepoRef({ type: repo.type, id: repo.id, hub }),
    hub,
    type: repo.type,
    id: repo.id,
    folder: repo.folder,
    sizeOnDisk: blobBytes(repo),
    blobs: repo.blobs.length,
    unusedBlobBytes: blobBytes(repo, repo.blobs.map((b) => b.name).filter((b) => !used.has(b))),
    partials: repo.partials.length,
    partialBytes: repo.partials.reduce((n, p) => n + p.size, 0),
    partialOnly: repo.blobs.length === 0 && repo.partials.length > 0,
    lastAccessedMs: Math.max(0, ...repo.blobs.map((b) => b.atimeMs)) || partialMtime,
    lastModifiedMs: Math.max(0, ...repo.blobs.map((b) => b.mtimeMs)) || partialMtime,
    // Revisions a ref names first (main before the others), then detached ones.
    revisions: revisions.filter((r) => r.snapshot || r.refs.length).sort(byRefs),
  }
}

function byRefs(a: RevisionUsage, b: RevisionUsage): number {
  const rank = (r: RevisionUsage) => (r.refs.includes('main') ? 0 : r.refs.length ? 1 : 2)
  return rank(a) - rank(b) || (a.refs[0] ?? a.commit).localeCompare(b.refs[0] ?? b.commit)
}

/** name: A→Z; size: largest first; time: most recently used first. */
export function sortRepos(list: RepoUsage[], key: SortKey): RepoUsage[] {
  const byName = (a: RepoUsage, b: RepoUsage) => a.repo.localeCompare(b.repo)
  const cmp =
    key === 'size'
      ? (a: RepoUsage, b: RepoUsage) => b.sizeOnDisk + b.partialBytes - (a.sizeOnDisk + a.partialBytes) || byName(a, b)
      : key === 'time'
        ? (a: RepoUsage, b: RepoUsage) => b.lastAccessedMs - a.lastAccessedMs || byName(a, b)
        : byName
  return [...list].sort(cmp)
}
