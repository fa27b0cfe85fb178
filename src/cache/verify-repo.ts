// `hfx cache verify`'s use case: find the snapshot, decide what to check it against (the Hub's listing,
// hfx's manifest, or the blob names themselves), hash it, and with --fix clear what is bad and have it
// fetched again. The Hub listing and the pull engine come in as functions the command wires, so cache/
// stays below both.
import { CacheProblemsError, NotInCacheError } from '../errors.js'
import type { TreeFile } from '../hub/hub.js'
import { defaultRevision, formatRepoRef, type RepoRef } from '../repo/repo-ref.js'
import { refsTo, type CachedRepo, type Snapshot } from './cached-repo.js'
import { repoCache, repoFolderName, snapshotDir } from './layout.js'
import { resolveLocalRevision } from './local-revision.js'
import { manifestFile, readManifest } from './manifest.js'
import { describeCounts, type VerifyReport } from './render-verify.js'
import { clearForRefetch, type Repair } from './repair-snapshot.js'
import { scanRepo } from './scan-cache.js'
import { expectedFromName, expectedFromTree, planChecks, type ExpectedFile, type Problem } from './snapshot-check.js'
import { runChecks, type VerifyEvents } from './verify-snapshot.js'

/** A snapshot found in the cache, with the repo scan it came from. */
export interface CachedSnapshot {
  ref: RepoRef
  /** `org/name` as the user reads it (type prefix, no revision). */
  name: string
  repo: CachedRepo
  commit: string
  snap: Snapshot
}

/** The snapshot `ref` names in the cache (its revision resolved through refs/), or NotInCacheError. */
export async function findSnapshot(cacheDir: string, ref: RepoRef): Promise<CachedSnapshot> {
  const name = formatRepoRef({ ...ref, revision: undefined })
  const repo = await scanRepo(cacheDir, repoFolderName(ref))
  if (!repo) throw new NotInCacheError(`${name} is not in the cache (${cacheDir}).`, 'List what is cached with: hfx cache ls')
  const commit = resolveLocalRevision(repo, ref.revision, defaultRevision(ref))
  const snap = repo.snapshots.find((s) => s.commit === commit)
  if (!snap) throw new NotInCacheError(`${name}@${commit} has no snapshot in the cache (only refs or .no_exist markers).`, `Fetch it with: hfx pull ${name}@${commit}`)
  return { ref, name, repo, commit, snap }
}

export interface VerifyOptions {
  cacheDir: string
  /** Files of the commit that are not in the snapshot count as missing. */
  complete: boolean
  /** The commit's listing from the Hub; without it (offline), hfx's manifest or the blob names are the reference. */
  listTree?: (commit: string) => Promise<TreeFile[]>
  /** --fix: fetches these paths of the commit again (the pull engine skips what is in place). */
  refetch?: (commit: string, paths: string[]) => Promise<void>
  /** Progress of the hashing, made once the checks are planned (how many files, how many bytes). */
  progress(files: number, bytes: number): VerifyEvents & { done(): void }
}

export interface VerifyOutcome {
  report: VerifyReport
  /** What --fix did, when it ran. */
  repair?: Repair
  /** Problems still there at the end: all of them, or what --fix left alone. */
  remaining: Problem[]
}

export async function verifyRepo(found: CachedSnapshot, opts: VerifyOptions): Promise<VerifyOutcome> {
  const { ref, repo, commit, snap } = found
  const manifest = await readManifest(manifestFile(opts.cacheDir, ref, commit))
  const listed = manifest?.files.map((f) => expectedFromName(f.path, f.etag, f.size))
  const fromManifest = listed?.every((e) => e !== undefined) ? (listed as ExpectedFile[]) : undefined
  const required = new Set(fromManifest?.map((e) => e.path))
  let against: VerifyReport['against'] = fromManifest ? 'manifest' : 'blob names'
  let listing = fromManifest
  if (opts.listTree) {
    listing = (await opts.listTree(commit)).map(expectedFromTree)
    against = 'hub'
  }
  const plan = planChecks(snap, new Set(repo.blobs.map((b) => b.name)), listing, (p) => opts.complete || required.has(p))
  const progress = opts.progress(plan.checks.length, checkBytes(repo, snap, plan.checks.map((c) => c.path)))
  const rc = repoCache(opts.cacheDir, ref)
  const hashed = await runChecks({ root: snapshotDir(rc, commit), blobsDir: rc.blobsDir }, plan.checks, progress)
  progress.done()
  const problems = [...plan.problems, ...hashed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))

  let repair: Repair | undefined
  if (opts.refetch && problems.length) {
    repair = await clearForRefetch(repoCache(opts.cacheDir, ref), snap, problems)
    if (repair.refetch.length) await opts.refetch(commit, repair.refetch)
  }
  const report: VerifyReport = {
    repo: found.name,
    type: ref.type,
    commit,
    refs: refsTo(repo, commit),
    against,
    checked: plan.checks.length,
    problems,
    absent: plan.absent,
    unchecked: plan.unchecked,
    ...(repair ? { fixed: repair.refetch, unlinked: repair.unlinked } : {}),
  }
  return { report, repair, remaining: repair ? repair.leftAlone : problems }
}

/** The error a run with problems left ends with (after its report is printed), or undefined. */
export function remainingProblemsError(found: CachedSnapshot, outcome: VerifyOutcome, offline: boolean): CacheProblemsError | undefined {
  if (!outcome.remaining.length) return undefined
  const { name, commit } = found
  return new CacheProblemsError(
    `${name}@${commit.slice(0, 12)}: ${describeCounts(outcome.remaining)}.`,
    outcome.repair
      ? 'These files are not in the commit and are not links; remove them by hand if they are not yours.'
      : offline
        ? `Fetch the bad files again with: hfx cache verify ${name}@${commit} --fix (needs the Hub).`
        : `Fetch the bad files again with: hfx cache verify ${name}@${commit} --fix`,
  )
}

function checkBytes(repo: CachedRepo, snap: Snapshot, paths: string[]): number {
  const sizes = new Map(repo.blobs.map((b) => [b.name, b.size]))
  const want = new Set(paths)
  return snap.files.reduce((n, f) => n + (!want.has(f.path) ? 0 : f.kind === 'blob' ? (sizes.get(f.blob) ?? 0) : f.kind === 'file' ? f.size : 0), 0)
}
