// The fetch steps of a pull: every planned file fetched, verified and published (pull-file.ts), a few at
// a time; then what is already complete linked in; then whatever vanished meanwhile fetched once more.
// One failing file does not stop the others; an access error (a token revoked mid-pull) stops them all.
import { setMaxListeners } from 'node:events'
import { CacheChangedError, EXIT, type HfxError, InterruptedError, toHfxError } from '../errors.js'
import { mapLimit } from '../map-limit.js'
import { PULL_DEFAULTS } from './defaults.js'
import { defaultHashThreads, HashPool } from './hash-pool.js'
import { defaultReceiveThreads, ReceivePool } from './receive-pool.js'
import { holdReused, vanished } from './hold-reused.js'
import { MemoryBudget } from './memory-budget.js'
import type { PlannedFile } from './plan.js'
import type { PreparedPull } from './prepare.js'
import { Mirrors } from './mirrors.js'
import { pullFile } from './pull-file.js'
import type { PullIO, PullRequest } from './request.js'
import { Slots } from './slots.js'
import { TokenBucket } from './token-bucket.js'

/** HF_HUB_DOWNLOAD_TIMEOUT's default, for a caller that did not pass the setting. */
const DEFAULT_DOWNLOAD_TIMEOUT_MS = 10_000

export interface FetchOutcome {
  /** The error the pull ends with, once every file had its chance. */
  firstError?: HfxError
  /** Contents that could not be fetched: no path showing them is linked. */
  failedEtags: Set<string>
}

/** Fetches and publishes what `p.plan` says, adding to `p.summary`. */
export async function fetchPlanned(p: PreparedPull, req: PullRequest, io: PullIO): Promise<FetchOutcome> {
  const { target, plan, located, summary } = p
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
  const maxRequests = Math.max(req.maxRequests ?? PULL_DEFAULTS.maxRequests, req.connections)
  const slots = new Slots(maxRequests)
  // One bucket for the whole pull: the cap holds across all files and connections, as curl's and aria2c's do.
  const cap = req.limitRate ? new TokenBucket(req.limitRate) : undefined
  // And one memory budget: more files in flight use more connections, not more memory (memory-budget.ts).
  const memory = new MemoryBudget()
  const hashThreads = io.hashThreads ?? defaultHashThreads()
  const hashing = hashThreads > 0 ? new HashPool(hashThreads) : undefined
  // Only files hashed on those threads can be received on others (fetch-chunks.ts).
  const receiveThreads = io.receiveThreads ?? defaultReceiveThreads()
  const receiving = hashing && receiveThreads > 0 ? new ReceivePool(receiveThreads) : undefined
  const mirrors =
    req.mirrors?.length && fetches.length
      ? await Mirrors.open(req.mirrors, { hub: (await io.hub()).io, timeoutMs: io.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS, connections: maxRequests, modelscope: io.modelscope })
      : undefined
  /** Fetches `list`; with `wait` false, returns the files another process is fetching, untouched. */
  const fetchSome = async (list: PlannedFile[], wait: boolean): Promise<PlannedFile[]> => {
    const busy: PlannedFile[] = []
    await mapLimit(list, req.maxFiles, async (f, i) => {
      try {
        const r = await pullFile(f, target, req, fileIO, { slots, cap, memory, hashing, receiving, mirrors, priority: i, located: f.path === located?.path ? located.url : undefined, wait })
        if (r === 'busy') {
          busy.push(f)
          return
        }
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
    return busy
  }
  // Files another process (or host) is fetching come last, waited for: by then it has likely finished them,
  // and meanwhile this pull fetched the rest, so several pulls of one repo split it instead of queueing.
  const fetchAll = async (list: PlannedFile[]) => {
    const busy = await fetchSome(list, false)
    if (busy.length && !io.signal.aborted) await fetchSome(busy, true)
  }
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
    await receiving?.close()
    await mirrors?.close()
  }
  return { firstError, failedEtags }
}
