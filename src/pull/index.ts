// hfx pull: resolve → plan → fetch → verify → publish. One commit for the whole run; every file verified
// before a loader can see it; partial files kept for the next run whatever goes wrong.
import { setMaxListeners } from 'node:events'
import path from 'node:path'
import { CacheChangedError, EXIT, type HfxError, InterruptedError, UnsafePathError, toHfxError } from '../errors.js'
import type { HubIO } from '../hub/get-json.js'
import { resolveRevision } from '../hub/revision.js'
import { collectTree, type TreeFile } from '../hub/tree.js'
import { defaultRevision, formatRepoRef, type RepoRef } from '../repo/repo-ref.js'
import { localDirConflict } from '../repo/safe-path.js'
import type { PullSummary, Reporter } from '../report/reporter.js'
import { selectsAll, type Selection } from '../select/filters.js'
import { mapLimit } from '../map-limit.js'
import { migrateLegacyState } from '../cache/hfx-state.js'
import { acquireBlobLock, LOCK_PATIENCE_MS } from './blob-lock.js'
import { claimPartial, siteActivity } from './claim-partial.js'
import { holdReused, vanished } from './hold-reused.js'
import { checkAccess } from './check-access.js'
import { checkFreeSpace, freeBytes } from './disk-space.js'
import { fetchVerified } from './fetch.js'
import { defaultHashThreads, HashPool } from './hash-pool.js'
import { offlineSnapshot } from './offline.js'
import { planPull, type FileState, type Plan, type PlannedFile } from './plan.js'
import { absentFiles, selectFiles } from './select.js'
import { Slots } from './slots.js'
import { PULL_DEFAULTS } from './defaults.js'
import type { Target } from './target.js'
import { CacheTarget } from './target-cache.js'
import { LocalDirTarget } from './target-local-dir.js'
import { checkWritable } from './writable.js'

export interface PullRequest {
  ref: RepoRef
  select: Selection
  localDir?: string
  /** Files downloaded at the same time. */
  maxFiles: number
  /** Parallel Range requests within one large file. */
  connections: number
  /** Range requests in flight across all files (default PULL_DEFAULTS.maxRequests). */
  maxRequests?: number
  chunkSize: number
  dryRun: boolean
}

export interface PullIO {
  hub: HubIO
  cacheDir: string
  offline: boolean
  /** The variable that set `offline`, named in its errors (default HF_HUB_OFFLINE). */
  offlineVar?: string
  report: Reporter
  signal: AbortSignal
  /** Worker threads that hash large files; 0 hashes everything on the main thread (default: by core count). */
  hashThreads?: number
  /** How long to wait for another process's blob lock while it shows no progress (default LOCK_PATIENCE_MS). */
  lockPatienceMs?: number
}

export async function pull(req: PullRequest, io: PullIO): Promise<PullSummary> {
  const started = Date.now()
  const repo = formatRepoRef({ ...req.ref, revision: undefined })
  await migrateLegacyState(io.cacheDir)
  if (io.offline) {
    const snap = await offlineSnapshot(io.cacheDir, req.ref, req.select, io.offlineVar)
    const s = { repo, revision: req.ref.revision ?? defaultRevision(req.ref), commit: snap.commit, path: snap.path, files: snap.files, downloadedBytes: 0, reusedBytes: snap.bytes, durationMs: Date.now() - started, failed: [] }
    io.report.done(s)
    return s
  }
  const info = await resolveRevision(io.hub, req.ref) // one commit for the whole run
  // Refuses the whole listing at its first unsafe path: nothing is written for a repo that lists one.
  const tree = await collectTree(io.hub, req.ref, info.commit)
  const target: Target = req.localDir
    ? new LocalDirTarget(path.resolve(req.localDir), info.commit)
    : new CacheTarget(io.cacheDir, req.ref, info.commit)
  // Once, before planning: a target that cannot be written is one error, not one per file (and not taken
  // for a full disk). A dry run writes nothing.
  if (!req.dryRun) await checkWritable(target.writeDirs, target.elsewhere)
  const absent = absentFiles(tree, req.select)
  if (absent.length && !req.dryRun) {
    await checkAccess(io.hub, req.ref, info.commit, tree[0]?.path) // before the markers are written
    await target.markAbsent(info.revision, info.commit, absent) // then selectFiles throws
  }
  const files = selectFiles(tree, req.select, req.ref.id, info.revision)
  if (req.localDir) refuseMetadataPaths(files)
  const plan = planPull(files, await statesOf(target, files))
  // Nothing has been written yet: a repo the token cannot download from stops here, with no trace on disk.
  const probe = req.dryRun ? undefined : plan.files.find((f) => f.action === 'fetch')
  const located = probe && { path: probe.path, url: await checkAccess({ ...io.hub, onRetry: (n) => io.report.retrying(n, probe) }, req.ref, info.commit, probe.path) }
  const free = req.dryRun ? await freeBytes(target.spaceDir) : await checkFreeSpace(target.spaceDir, plan.downloadBytes)
  io.report.planned({ repo, type: req.ref.type, revision: info.revision, commit: info.commit, root: target.root, plan, freeBytes: free, dryRun: req.dryRun })

  const summary: PullSummary = { repo, revision: info.revision, commit: info.commit, path: target.root, files: plan.files.length, downloadedBytes: 0, reusedBytes: plan.cachedBytes, durationMs: 0, failed: [] }
  if (req.dryRun) return summary

  let firstError: HfxError | undefined
  // An access error (401/403) met mid-pull (a token revoked meanwhile): every other file would fail the
  // same way, so it stops the whole pull at once, and is the one error reported.
  let fatal: HfxError | undefined
  const stop = new AbortController()
  const signal = AbortSignal.any([io.signal, stop.signal])
  setMaxListeners(0, signal) // every request in flight listens to it, as to io.signal
  const fileIO: PullIO = { ...io, signal }
  const failedEtags = new Set<string>()
  const fetches = plan.files.filter((f) => f.action === 'fetch')
  const slots = new Slots(Math.max(req.maxRequests ?? PULL_DEFAULTS.maxRequests, req.connections))
  const hashThreads = io.hashThreads ?? defaultHashThreads()
  const hashing = hashThreads > 0 ? new HashPool(hashThreads) : undefined
  const fetchAll = (list: PlannedFile[]) =>
    mapLimit(list, req.maxFiles, async (f, i) => {
      try {
        const r = await pullFile(f, target, req, fileIO, { slots, hashing, priority: i, located: f.path === located?.path ? located.url : undefined })
        summary.downloadedBytes += r.downloaded
        summary.reusedBytes += r.resumed
      } catch (err) {
        if (fatal) throw fatal // this file was stopped by it
        // One failing file does not stop the others: what can be fetched is fetched, and a re-run resumes.
        if (io.signal.aborted || err instanceof InterruptedError) throw err
        const e = toHfxError(err)
        if (e.exitCode === EXIT.auth) {
          fatal = e
          stop.abort()
          throw e
        }
        firstError ??= e
        failedEtags.add(f.etag)
        summary.failed.push({ path: f.path, error: e.message })
        io.report.fileFailed(f, e.message)
      }
    })
  // What is already on disk is claimed first, so that a `cache prune` running meanwhile spares it.
  const reused = await holdReused(target, plan)
  try {
    await fetchAll(fetches)
    if (io.signal.aborted) throw new InterruptedError('interrupted')
    // Same content as a file fetched above: linked (or copied) once that one is in place.
    for (const f of plan.files.filter((f) => f.action === 'link' && !reused.has(f))) {
      if (!failedEtags.has(f.etag)) await target.link(f)
    }
    // Never exit 0 with a dangling link: whatever vanished meanwhile (a concurrent prune, another tool's
    // cleanup) is fetched again, once.
    const gone = await vanished(target, plan.files.filter((f) => !failedEtags.has(f.etag)))
    if (gone.length) {
      const byEtag = new Map(gone.map((f) => [f.etag, { ...f, action: 'fetch' as const, partial: 0 }]))
      await fetchAll([...byEtag.values()])
      for (const f of gone) if (!failedEtags.has(f.etag)) await target.link(f)
      for (const f of await vanished(target, gone.filter((f) => !failedEtags.has(f.etag)))) {
        const e = new CacheChangedError(f.path)
        firstError ??= e
        summary.failed.push({ path: f.path, error: e.message })
        io.report.fileFailed(f, e.message)
      }
    }
  } finally {
    reused.release()
    await hashing?.close()
  }
  if (io.signal.aborted) throw new InterruptedError('interrupted')
  // Content another tool finished while an hfx partial of it was left behind: the partial is garbage now.
  for (const f of plan.files.filter((f) => f.action !== 'fetch' && !failedEtags.has(f.etag))) await target.dropLeftovers(f)
  summary.durationMs = Date.now() - started
  if (!firstError) await target.finish(info.revision, info.commit, plan.files, selectsAll(req.select))
  io.report.done(summary)
  if (firstError) throw firstError
  return summary
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

async function pullFile(
  f: PlannedFile,
  target: Target,
  req: PullRequest,
  io: PullIO,
  { located, ...shared }: { slots: Slots; hashing?: HashPool; priority: number; located?: string },
): Promise<{ downloaded: number; resumed: number }> {
  const lock = await acquireBlobLock(await target.lockPath(f), {
    signal: io.signal,
    patienceMs: io.lockPatienceMs ?? LOCK_PATIENCE_MS,
    activity: async () => siteActivity(await target.partialSite(f, true)),
    onWait: (w) => io.report.waiting(f, w),
  })
  const waited = lock.waited
  try {
    // Another process may have finished this blob while we waited for its lock.
    if (await target.isComplete(f)) {
      await target.link(f)
      io.report.fileDone(f, { hash: f.etag, downloaded: 0 })
      return { downloaded: 0, resumed: f.size }
    }
    // After waiting, the holder may have left a partial that the listing made at plan time does not show.
    const partial = await claimPartial(await target.partialSite(f, waited), f.expected.hex, f.size, lock.held)
    const r = await fetchVerified(
      { ref: req.ref, commit: target.commit, path: f.path, lfs: f.lfs, expected: f.expected, partial, located },
      {
        io: io.hub,
        ...shared,
        connections: req.connections,
        chunkSize: req.chunkSize,
        signal: io.signal,
        events: {
          resumed: (bytes) => io.report.fileStarted(f, bytes),
          bytes: (n) => io.report.progress(f, n),
          retry: (n) => io.report.retrying(n, f),
        },
      },
    )
    await target.publish(f, r.file)
    io.report.fileDone(f, r)
    return r
  } finally {
    // Interrupted, the lock stays held until this process exits (the kernel drops it then): a pull waiting
    // for it would otherwise get it while this one still writes its sidecar, find the partial's owner
    // alive, and start over instead of taking it over.
    if (!io.signal.aborted) await lock.release()
  }
}

export type { Plan }
