// Keeps what a pull reuses from being deleted under it. Blobs already in the cache (plan actions 'link' and
// 'skip') are linked by no kept snapshot until the pull writes refs/<rev> at the very end, so to `hfx cache
// prune` they look like garbage — an old blob unused by any snapshot, in a detached snapshot — and a
// prune that ran meanwhile left the pull to exit 0 with dangling links.
//
// Two measures, because neither is enough alone. First, before fetching anything, the reused blobs and
// the snapshot folder get a fresh mtime and their links are made at once: prune's grace period (an hour)
// then spares them, and a prune from hfx re-reads the time right before deleting. The time is refreshed
// every HOLD_EVERY_MS, as a pull of a large model can run for hours. Second, before the pull ends, every
// path is checked to lead to its blob, and what vanished anyway (another user's blob whose time we may not
// set, `hf cache` or `rm -r` by hand) is fetched again — never a dangling link reported as success.
import { mapLimit } from '../map-limit.js'
import type { Plan, PlannedFile } from './plan.js'
import type { Target } from './target.js'

/** Well inside prune's one-hour grace (PRUNE_GRACE_MS), so a held blob never ages out of it. */
export const HOLD_EVERY_MS = 10 * 60_000

export interface Held {
  /** Whether this file's content was on disk before the pull and is linked already. */
  has(f: PlannedFile): boolean
  release(): void
}

export async function holdReused(target: Target, plan: Plan): Promise<Held> {
  const fetched = new Set(plan.files.filter((f) => f.action === 'fetch').map((f) => f.etag))
  const reused = plan.files.filter((f) => f.action !== 'fetch' && !fetched.has(f.etag))
  await target.hold(reused)
  for (const f of reused) if (f.action === 'link') await target.link(f)
  const timer = setInterval(() => void target.hold(reused).catch(() => {}), HOLD_EVERY_MS)
  timer.unref()
  const held = new Set(reused)
  return { has: (f) => held.has(f), release: () => clearInterval(timer) }
}

/** The files whose path does not lead to their verified content (now). */
export async function vanished(target: Target, files: PlannedFile[]): Promise<PlannedFile[]> {
  const gone = new Set<PlannedFile>()
  await mapLimit(files, 32, async (f) => {
    if (!(await target.isLinked(f))) gone.add(f)
  })
  return files.filter((f) => gone.has(f))
}
