// One file of a pull, once it is planned for fetching: hold its blob against other processes (hold-blob.ts),
// take over what an earlier run left, fetch and verify it (fetch.ts), publish it (the target), and tell the
// reporter.
import { claimPartial } from './claim-partial.js'
import { fetchVerified } from './fetch.js'
import type { HashPool } from './hash-pool.js'
import { holdBlob } from './hold-blob.js'
import type { MemoryBudget } from './memory-budget.js'
import type { ReceivePool } from './receive-pool.js'
import type { Mirrors } from './mirrors.js'
import type { PlannedFile } from './plan.js'
import type { PullIO, PullRequest } from './request.js'
import type { Slots } from './slots.js'
import type { Target } from './target.js'
import type { TokenBucket } from './token-bucket.js'

export async function pullFile(
  f: PlannedFile,
  target: Target,
  req: PullRequest,
  io: PullIO,
  { located, wait, ...shared }: { slots: Slots; cap?: TokenBucket; memory?: MemoryBudget; hashing?: HashPool; receiving?: ReceivePool; mirrors?: Mirrors; priority: number; located?: string; wait: boolean },
): Promise<{ downloaded: number; resumed: number } | 'busy'> {
  const held = await holdBlob(f, target, io, wait)
  if (held === 'busy') return 'busy'
  const waited = held.waited
  try {
    // Another process may have finished this blob while we waited for its lock (a fresh copy, even for
    // --force-download, which otherwise ignores what is on disk).
    if ((!req.refetch || waited) && (await target.isComplete(f))) {
      await target.link(f)
      io.report.fileDone(f, { hash: f.etag, downloaded: 0 })
      return { downloaded: 0, resumed: f.size }
    }
    // After waiting, the holder may have left a partial that the listing made at plan time does not show.
    const partial = await claimPartial(await target.partialSite(f, waited), f.expected.hex, f.size, held.lockHeld, held.leaseHeld)
    const r = await fetchVerified(
      { ref: req.ref, commit: target.commit, path: f.path, lfs: f.lfs, expected: f.expected, partial, located },
      {
        hub: await io.hub(),
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
    // alive, and start over instead of taking it over. The lease stays too: its owner's pid tells a pull
    // of this host that it is gone; other hosts see it stop beating.
    if (!io.signal.aborted) await held.release()
  }
}
