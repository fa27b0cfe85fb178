// A pull and a clean-up at the same time: a blob the pull reuses (old, linked by no snapshot yet) must not
// be deleted under it, and whatever vanishes anyway is fetched again — the pull never exits 0 with a
// dangling link (src/pull/hold-reused.ts, src/cache/apply-deletion.ts keepTouchedSinceMs).
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test, type Home } from '../helpers/test.js'
import type { EmuRepo, Hub } from '../emulator/index.js'

const MiB = 1024 * 1024
const OLD = new Date(Date.now() - 30 * 86_400_000)
const PULL = ['pull', 'acme/reuse', '--chunk-size', '1M', '--connections', '2']

/** A repo whose old.bin is already in the cache as a 30-day-old blob that no snapshot links. */
async function reuseSetup(hub: Hub, home: Home): Promise<{ repo: EmuRepo; blob: string }> {
  const old = bytes(1, 1 * MiB)
  const repo = hub.addRepo('acme/reuse', { 'old.bin': { content: old, lfs: true }, 'big.bin': { content: bytes(2, 6 * MiB), lfs: true } })
  const blobs = path.join(repoDir(home.cache, 'acme/reuse'), 'blobs')
  await mkdir(blobs, { recursive: true })
  const blob = path.join(blobs, sha256(old))
  await writeFile(blob, old)
  await utimes(blob, OLD, OLD)
  return { repo, blob }
}

/** Starts a throttled pull and resolves once big.bin is downloading (the plan is made and acted on). */
async function pullUnderway(hub: Hub, hfx: { spawn(args: string[]): ReturnType<typeof import('node:child_process').spawn> }) {
  hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
  const done = collect(hfx.spawn(PULL))
  while (hub.bytesServed('big.bin') < MiB) await new Promise((r) => setTimeout(r, 20))
  return { done } // not the promise itself: an async function returning it would wait for the pull
}

/** Every file of the snapshot resolves to bytes with the repo's hash: no dangling link. */
async function expectWholeSnapshot(snapshot: string, repo: EmuRepo) {
  expect((await readdir(snapshot)).sort()).toEqual(['big.bin', 'old.bin'])
  for (const f of ['big.bin', 'old.bin']) expect(await sha256File(path.join(snapshot, f))).toBe(repo.sha256(f))
}

describe('prune and pull at the same time', () => {
  // --older-than is about partial downloads: 0 makes every partial fair game but the running pull's own.
  test.for(['0', '7d'])('a prune (--older-than %s) while the pull runs spares the old blob the pull reuses, and its partial', async (age, { hub, home, hfx }) => {
    const { repo } = await reuseSetup(hub, home)
    const { done: pulling } = await pullUnderway(hub, hfx)
    const prune = await hfx('cache', 'prune', '--yes', '--older-than', age)
    expect(prune.code, prune.stderr).toBe(0)
    const run = await pulling
    expect(run.code, run.stderr).toBe(0)
    await expectWholeSnapshot(run.stdout.trim(), repo)
    expect(hub.bytesServed('old.bin')).toBe(0) // reused, not fetched again
  })

  test('a reused blob deleted anyway (by hand, or by a tool that ignores times) is fetched again before the pull ends', async ({ hub, home, hfx }) => {
    const { repo, blob } = await reuseSetup(hub, home)
    const { done: pulling } = await pullUnderway(hub, hfx)
    await rm(blob)
    const run = await pulling
    expect(run.code, run.stderr).toBe(0)
    await expectWholeSnapshot(run.stdout.trim(), repo)
    expect(hub.bytesServed('old.bin')).toBe(MiB)
  })
})
