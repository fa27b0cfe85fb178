// hfx pull: resolve → plan → fetch → verify → publish. One commit for the whole run; every file verified
// before a loader can see it; partial files kept for the next run whatever goes wrong. Each step has its
// module: prepare.ts (resolve, list, plan, check), fetch-planned.ts and pull-file.ts (fetch, verify,
// publish), the target (target-cache.ts, target-local-dir.ts) for what ends up on disk.
import { InterruptedError, OfflineError } from '../errors.js'
import { defaultRevision, formatRepoRef } from '../repo/repo-ref.js'
import type { PullSummary } from './reporter.js'
import { selectsAll } from '../select/filters.js'
import { migrateLegacyState } from '../cache/hfx-state.js'
import { offlinePlan, offlineSnapshot } from './offline.js'
import type { Plan } from './plan.js'
import { preparePull } from './prepare.js'
import type { PullIO, PullRequest } from './request.js'

export type { PullIO, PullRequest }

export async function pull(req: PullRequest, io: PullIO): Promise<PullSummary> {
  const started = Date.now()
  await migrateLegacyState(io.cacheDir)
  if (io.offline && req.refetch) {
    // As huggingface_hub refuses force_download offline: the cached copy is all there is to give.
    const v = io.offlineVar ?? 'HF_HUB_OFFLINE'
    throw new OfflineError(`--force-download fetches from the Hub, but ${v} is set.`, `Unset ${v} to fetch the files again, or leave out --force-download to use the cached copy.`)
  }
  if (io.offline && (req.ref.variant !== undefined || req.fitBytes !== undefined)) {
    // The variants are read from the Hub's listing; offline there is none to choose from.
    const v = io.offlineVar ?? 'HF_HUB_OFFLINE'
    throw new OfflineError(`choosing a weight variant (:TAG or --fit) needs the Hub's file list, but ${v} is set.`, `Name the files instead, e.g. --include '*Q4_K_M*', or unset ${v}.`)
  }
  // A locked pull checks the cache against the lock itself, and asks for the hub only for a missing file.
  if (io.offline && !req.locked) return pullOffline(req, io, started)
  const prepared = preparePull(req, io) // resolve → plan: one commit for the whole run
  // The fetch engine loads while the Hub answers: the first request does not wait for it, nor a dry run.
  const engine = req.dryRun ? undefined : import('./fetch-planned.js')
  engine?.catch(() => {}) // awaited below, unless planning fails first
  const p = await prepared
  if (!engine) return p.summary // a dry run
  const { fetchPlanned } = await engine
  const { firstError, failedEtags } = await fetchPlanned(p, req, io) // fetch → verify → publish, file by file
  if (io.signal.aborted) throw new InterruptedError('interrupted')
  // Content another tool finished while an hfx partial of it was left behind: the partial is garbage now.
  for (const f of p.plan.files.filter((f) => f.action !== 'fetch' && !failedEtags.has(f.etag))) await p.target.dropLeftovers(f)
  p.summary.durationMs = Date.now() - started
  if (!firstError) await p.target.finish(p.revision, p.commit, p.plan.files, selectsAll(p.select))
  io.report.done(p.summary)
  if (firstError) throw firstError
  return p.summary
}

/** Offline: the snapshot already in the cache, complete for the selection, or an error saying what is missing. */
async function pullOffline(req: PullRequest, io: PullIO, started: number): Promise<PullSummary> {
  const snap = await offlineSnapshot(io.cacheDir, req.ref, req.select, io.offlineVar)
  const repo = formatRepoRef({ ...req.ref, revision: undefined })
  const revision = req.ref.revision ?? defaultRevision(req.ref)
  const s = { repo, revision, commit: snap.commit, path: snap.path, files: snap.files, downloadedBytes: 0, reusedBytes: snap.bytes, durationMs: Date.now() - started, failed: [], replaced: [] }
  // A dry run shows its plan, as online: here every file is cached (anything missing was an error above).
  if (req.dryRun) io.report.planned({ repo, type: req.ref.type, revision, commit: snap.commit, root: snap.path, plan: offlinePlan(snap), dryRun: true })
  else io.report.done(s)
  return s
}

export type { Plan }
