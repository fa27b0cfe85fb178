// Which snapshots, refs, blobs and partial downloads a removal deletes. Pure: it decides on a CachedRepo
// (what a scan found) and never looks at the disk, so the rules that protect data are unit-tested:
// a blob is deleted only when no kept snapshot links it, and a snapshot only with the refs that name it.
import { blobBytes, blobsUsedBy, refsTo, type CachedRepo, type Snapshot } from './cached-repo.js'

export interface RemovedRevision {
  commit: string
  refs: string[]
  files: number
}

export interface RepoDeletion {
  type: CachedRepo['type']
  id: string
  folder: string
  /** The repo folder goes entirely, with `.locks/<folder>` and hfx's manifests. */
  whole: boolean
  revisions: RemovedRevision[]
  refs: string[]
  /** Commits whose `.no_exist/<commit>/` markers go. */
  noExist: string[]
  /** Commits whose hfx manifest goes. */
  manifests: string[]
  blobs: string[]
  /** File names in blobs/ (`.incomplete`, `.parts`, sidecar temp files). */
  partials: string[]
  freedBytes: number
  /** Left in place by prune because they are younger than the grace period: a pull may be writing them. */
  deferred: { snapshots: number; blobs: number }
}

/** `hfx cache rm repo`: everything, whatever refs say. */
export function planRepoRemoval(repo: CachedRepo): RepoDeletion {
  return {
    ...ids(repo),
    whole: true,
    revisions: repo.snapshots.map((s) => removed(repo, s)),
    refs: repo.refs.map((r) => r.name),
    noExist: [...repo.noExist],
    manifests: [...repo.manifests],
    blobs: repo.blobs.map((b) => b.name),
    partials: repo.partials.flatMap((p) => p.files),
    freedBytes: blobBytes(repo) + repo.partials.reduce((n, p) => n + p.size, 0) + repo.snapshots.reduce((n, s) => n + plainFileBytes(s), 0),
    deferred: { snapshots: 0, blobs: 0 },
  }
}

/**
 * `hfx cache rm repo@rev`: the snapshots of `commits`, every ref pointing at them, their `.no_exist`
 * markers, and the blobs that no remaining snapshot links. Removing the last snapshot removes the whole
 * repo, as huggingface_hub's delete_revisions does: a repo folder with no revision left is only clutter.
 * So does removing a revision that only has markers from a repo with no snapshot at all: what would be
 * left (refs to commits without snapshots, a folder without `snapshots/`) is what huggingface_hub's
 * scan_cache_dir reports as a corrupted repo.
 */
export function planRevisionRemoval(repo: CachedRepo, commits: Iterable<string>): RepoDeletion {
  const gone = new Set(commits)
  const kept = repo.snapshots.filter((s) => !gone.has(s.commit))
  if (kept.length === 0) return planRepoRemoval(repo)
  return dropRevisions(repo, gone, kept, { snapshots: 0, blobs: 0 })
}

/** Default for PruneOptions.graceMs: publishing and linking take milliseconds, so an hour is generous. */
export const PRUNE_GRACE_MS = 60 * 60_000

export interface PruneOptions {
  nowMs: number
  /** Partial downloads untouched for this long are abandoned. */
  partialAgeMs: number
  /**
   * Detached snapshots and unused blobs younger than this are kept. A pull publishes a blob, then links it,
   * and writes refs/<rev> only once every file is in place (hfx) — between those steps its work looks
   * exactly like garbage, and deleting it would leave the pull with dangling links.
   */
  graceMs: number
}

/** `hfx cache prune`: snapshots no ref names, blobs no kept snapshot links, abandoned partial downloads. */
export function planPrune(repo: CachedRepo, o: PruneOptions): RepoDeletion {
  const old = (mtimeMs: number, age: number) => o.nowMs - mtimeMs >= age
  const named = new Set(repo.refs.map((r) => r.commit))
  const detached = repo.snapshots.filter((s) => !named.has(s.commit))
  const gone = new Set(detached.filter((s) => old(s.mtimeMs, o.graceMs)).map((s) => s.commit))
  // `.no_exist` markers of a commit no ref names and that keeps no snapshot belong to nothing.
  for (const c of repo.noExist) if (!named.has(c) && !repo.snapshots.some((s) => s.commit === c)) gone.add(c)
  const kept = repo.snapshots.filter((s) => !gone.has(s.commit))
  const keep = keptUse(kept)
  // Blobs of the removed snapshots and blobs nothing linked in the first place follow the same rule.
  const unused = repo.blobs.filter((b) => !keep.has(b.name))
  const blobs = unused.filter((b) => old(b.mtimeMs, o.graceMs)).map((b) => b.name).sort()
  // Whatever --older-than says, a partial a running pull on this host writes is not abandoned.
  const abandoned = repo.partials.filter((p) => !p.live && old(p.mtimeMs, o.partialAgeMs))
  const deferred = { snapshots: detached.filter((s) => !gone.has(s.commit)).length, blobs: unused.length - blobs.length }
  return {
    ...dropRevisions(repo, gone, kept, deferred),
    blobs,
    partials: abandoned.flatMap((p) => p.files).sort(),
    freedBytes: blobBytes(repo, blobs) + abandoned.reduce((n, p) => n + p.size, 0) + removedPlainBytes(repo, gone),
  }
}

export function isEmpty(d: RepoDeletion): boolean {
  return !d.whole && d.revisions.length + d.refs.length + d.noExist.length + d.manifests.length + d.blobs.length + d.partials.length === 0
}

function keptUse(kept: Snapshot[]): Set<string> {
  return new Set(kept.flatMap((s) => [...blobsUsedBy(s)]))
}

function dropRevisions(
  repo: CachedRepo,
  gone: Set<string>,
  kept: Snapshot[],
  deferred: RepoDeletion['deferred'],
): RepoDeletion {
  const keep = keptUse(kept)
  const present = new Set(repo.blobs.map((b) => b.name))
  const blobs = new Set<string>()
  for (const s of repo.snapshots.filter((s) => gone.has(s.commit))) {
    for (const b of blobsUsedBy(s)) if (present.has(b) && !keep.has(b)) blobs.add(b)
  }
  const remaining = new Set(kept.map((s) => s.commit))
  return {
    ...ids(repo),
    whole: false,
    revisions: repo.snapshots.filter((s) => gone.has(s.commit)).map((s) => removed(repo, s)),
    refs: repo.refs.filter((r) => gone.has(r.commit)).map((r) => r.name),
    noExist: repo.noExist.filter((c) => gone.has(c)),
    // A manifest describes a snapshot; once its snapshot is gone (by us or by another tool) it only misleads.
    manifests: repo.manifests.filter((c) => !remaining.has(c)),
    blobs: [...blobs].sort(),
    partials: [],
    freedBytes: blobBytes(repo, blobs) + removedPlainBytes(repo, gone),
    deferred,
  }
}

function ids(repo: CachedRepo) {
  return { type: repo.type, id: repo.id, folder: repo.folder }
}

function removed(repo: CachedRepo, s: Snapshot): RemovedRevision {
  return { commit: s.commit, refs: refsTo(repo, s.commit), files: s.files.length }
}

/** Regular files inside snapshots (huggingface_hub's copy fallback) hold bytes of their own. */
function plainFileBytes(s: Snapshot): number {
  return s.files.reduce((n, f) => n + (f.kind === 'file' ? f.size : 0), 0)
}

function removedPlainBytes(repo: CachedRepo, gone: Set<string>): number {
  return repo.snapshots.filter((s) => gone.has(s.commit)).reduce((n, s) => n + plainFileBytes(s), 0)
}
