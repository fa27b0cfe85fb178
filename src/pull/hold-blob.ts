// Before a file is fetched, this process makes sure nobody else is fetching the same blob: huggingface_hub's
// lock (blob-lock.ts: other processes of this host, and every client that takes it) and hfx's lease
// (blob-lease.ts: other hosts sharing the cache, where the lock may exclude nobody). A first pass over the
// files only takes what is free, so that several processes split a repo between them instead of queueing
// behind each other's files; what was busy is fetched in a second pass that waits.
import { leasePathFor } from '../cache/hfx-names.js'
import { acquireBlobLease, LEASE_STALE_MS } from './blob-lease.js'
import { acquireBlobLock, LOCK_PATIENCE_MS } from './blob-lock.js'
import { siteActivity } from './claim-partial.js'
import type { PlannedFile } from './plan.js'
import type { PullIO } from './request.js'
import type { Target } from './target.js'

export interface HeldBlob {
  /** The lock is ours: huggingface_hub writes its partials only under it, so they may be taken over. */
  lockHeld: boolean
  /** We waited for another process: it may have finished the blob or left a partial meanwhile. */
  waited: boolean
  /** The lease is ours: a partial another host left is nobody's now, and may be copied at once. */
  leaseHeld: boolean
  release(): Promise<void>
}

/** 'busy' only when `wait` is false and another process holds the lock or the lease. */
export async function holdBlob(f: PlannedFile, target: Target, io: PullIO, wait: boolean): Promise<HeldBlob | 'busy'> {
  const lockPath = await target.lockPath(f)
  const patienceMs = io.lockPatienceMs ?? LOCK_PATIENCE_MS
  const onWait = io.report.waiting.bind(io.report, f)
  const lock = await acquireBlobLock(lockPath, {
    signal: io.signal,
    patienceMs,
    activity: async () => siteActivity(await target.partialSite(f, true)),
    onWait,
    wait,
  })
  if (lock === 'busy') return 'busy'
  let lease: Awaited<ReturnType<typeof acquireBlobLease>>
  try {
    lease = await acquireBlobLease(lockPath && leasePathFor(lockPath), {
      signal: io.signal,
      staleMs: Math.min(LEASE_STALE_MS, patienceMs),
      wait,
      onWait,
    })
  } catch (err) {
    await lock.release()
    throw err
  }
  if (lease === 'busy') {
    await lock.release()
    return 'busy'
  }
  const held = lease
  return {
    lockHeld: lock.held,
    waited: lock.waited || held.waited,
    leaseHeld: held.held,
    async release() {
      await held.release()
      await lock.release()
    },
  }
}
