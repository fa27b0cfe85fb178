// The first steps of a pull, before any byte is fetched: resolve the revision to one commit and list it (or
// take both from a lock), choose the target, check it can be written, plan every file against what is on
// disk, check access and free space, and tell the reporter the plan. Nothing is written here but `.no_exist` markers (and a
// dry run writes nothing at all).
import path from 'node:path'
import { UnsafePathError } from '../errors.js'
import { collectTree } from '../hub/collect-tree.js'
import type { Hub, TreeFile } from '../hub/hub.js'
import { mapLimit } from '../map-limit.js'
import { formatRepoRef, repoName } from '../repo/repo-ref.js'
import { groupVariants } from '../select/quant-variants.js'
import type { Selection } from '../select/filters.js'
import { localDirConflict } from '../repo/safe-path.js'
import type { PullSummary } from './reporter.js'
import { checkAccess } from './check-access.js'
import { freeBytes, noRoomError } from './disk-space.js'
import { pickByFit, pickByTag, type VariantPick } from './pick-variant.js'
import { planPull, type FileState, type Plan } from './plan.js'
import type { PullIO, PullRequest } from './request.js'
import { absentFiles, selectFiles } from './select.js'
import type { Target } from './target.js'
import { CacheTarget } from './target-cache.js'
import { LocalDirTarget } from './target-local-dir.js'
import { checkWritable } from './writable.js'

export interface PreparedPull {
  /** `org/name` as the user reads it. */
  repo: string
  revision: string
  commit: string
  target: Target
  plan: Plan
  /** What the pull fetches: the user's selection, narrowed to one weight variant by `:TAG` or --fit. */
  select: Selection
  /** The first file to fetch, with where its bytes are (asked once, by the access check). */
  located?: { path: string; url?: string }
  /** What the pull has done so far: the reused bytes; the fetch steps add to it. */
  summary: PullSummary
}

export async function preparePull(req: PullRequest, io: PullIO): Promise<PreparedPull> {
  const repo = formatRepoRef({ ...req.ref, revision: undefined })
  // One commit for the whole run: the lock's, or the revision resolved now and listed once.
  const info = req.locked ?? (await listCommit(req, await io.hub()))
  const tree = info.files
  const variant = pickVariant(req, tree) // an unknown tag or a budget nothing fits stops here, before any write
  const target: Target = req.localDir
    ? new LocalDirTarget(path.resolve(req.localDir), info.commit)
    : new CacheTarget(io.cacheDir, req.ref, info.commit)
  // Once, before planning: a target that cannot be written is one error, not one per file (and not taken
  // for a full disk). A dry run writes nothing.
  if (!req.dryRun) await checkWritable(target.writeDirs, target.elsewhere)
  // The variant's files, plus whatever the user named besides (`--include 'mmproj*'` adds the projector).
  const select: Selection = variant ? { ...req.select, files: [...variant.files, ...(req.select.files ?? [])] } : req.select
  const absent = absentFiles(tree, select)
  if (absent.length && !req.dryRun) {
    await checkAccess(await io.hub(), req.ref, info.commit, tree[0]?.path) // before the markers are written
    await target.markAbsent(info.revision, info.commit, absent) // then selectFiles throws
  }
  const files = selectFiles(tree, select, repoName(req.ref), info.revision)
  if (req.localDir) refuseMetadataPaths(files)
  const plan = planPull(files, await statesOf(target, files), { refetch: req.refetch })
  // Nothing has been written yet: a repo the token cannot download from stops here, with no trace on disk.
  const probe = req.dryRun ? undefined : plan.files.find((f) => f.action === 'fetch')
  const located = probe && { path: probe.path, url: await checkAccess(await io.hub(), req.ref, info.commit, probe.path, (n) => io.report.retrying(n, probe)) }
  const free = await freeBytes(target.spaceDir)
  const noRoom = noRoomError(target.spaceDir, plan.downloadBytes, free)
  // A real pull stops before its plan is shown; a dry run shows the plan, marked, then fails as the pull would.
  if (noRoom && !req.dryRun) throw noRoom
  io.report.planned({ repo, type: req.ref.type, revision: info.revision, commit: info.commit, root: target.root, plan, freeBytes: free, fits: !noRoom, dryRun: req.dryRun, variant })
  if (noRoom) throw noRoom
  const summary: PullSummary = { repo, revision: info.revision, commit: info.commit, path: target.root, files: plan.files.length, downloadedBytes: 0, reusedBytes: plan.cachedBytes, durationMs: 0, failed: [], replaced: target.replaced }
  return { repo, revision: info.revision, commit: info.commit, target, plan, select, located, summary }
}

function pickVariant(req: PullRequest, tree: TreeFile[]): VariantPick | undefined {
  if (req.ref.variant === undefined && req.fitBytes === undefined) return undefined
  const set = groupVariants(tree)
  const name = repoName(req.ref)
  return req.ref.variant !== undefined ? pickByTag(name, set, req.ref.variant) : pickByFit(name, set, req.fitBytes!)
}

async function listCommit(req: PullRequest, hub: Hub): Promise<{ revision: string; commit: string; files: TreeFile[] }> {
  const info = await hub.resolveRevision(req.ref)
  // Refuses the whole listing at its first unsafe path: nothing is written for a repo that lists one.
  return { revision: info.revision, commit: info.commit, files: await collectTree(hub, req.ref, info.commit) }
}

/**
 * A --local-dir keeps its metadata, locks and partials in .cache/huggingface/: no repo file may land there.
 * Only the files selected count, so a repo that ships such a file by mistake can still be pulled without it.
 */
function refuseMetadataPaths(files: TreeFile[]): void {
  for (const f of files) {
    const reason = localDirConflict(f.path)
    if (reason) {
      throw new UnsafePathError(f.path, reason, "Leave it out with --exclude '.cache/huggingface/*', or pull into the cache (without --local-dir).")
    }
  }
}

async function statesOf(target: Target, files: TreeFile[]): Promise<(f: TreeFile, etag: string) => FileState> {
  const states = new Map<string, FileState>()
  await mapLimit(files, 32, async (f) => {
    states.set(f.path, await target.stateOf(f, f.lfs?.oid ?? f.oid))
  })
  return (f) => states.get(f.path)!
}
