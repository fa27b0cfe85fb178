// One download cut short, the other tool finishes it, on the same cache. Whatever partial file the first
// left behind, the second must end with exit 0 and blobs that hash to their names: a loader trusts
// blobs/<etag> blindly. huggingface_hub 0.36 resumes blobs/<etag>.incomplete by appending from its size
// and checks only the size, so a partial in another layout (hfx writes chunks in parallel, out of order)
// turns into a corrupt blob unless hfx keeps its partials out of that name.
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { cacheProblems } from '../helpers/blob-check.js'
import { repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { SNAPSHOT_DOWNLOAD } from '../helpers/peer-scripts.js'
import { HUB_CLIENTS, PEERS, describe, expect, test, until, why, type Py } from '../helpers/peers.js'
import { collect, type Home, type RunResult } from '../helpers/test.js'
import type { Hub } from '../emulator/index.js'

const MiB = 1024 * 1024

for (const client of HUB_CLIENTS) {
  describe.skipIf(!PEERS[client])(`hfx interrupted, then ${client} finishes`, () => {
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      test(`hfx stopped by ${signal} mid-file; ${client} snapshot_download exits 0 and every blob verifies`, async ({ hub, home, hfx, py }) => {
        const repo = hub.addRepo('acme/cut', { 'config.json': '{"model_type":"bert"}', 'model.safetensors': bytes(41, 8 * MiB) })
        // The first 1 MiB chunk never arrives (every request for it stalls, the extreme of throttling) while
        // the other seven do: the state any interruption of a parallel download can leave, a hole followed
        // by data, made certain rather than left to the race.
        hub.inject({ kind: 'stall', afterBytes: 0, filePath: 'model.safetensors', rangeStart: 0, times: Infinity })
        const pull = hfx.spawn(['pull', 'acme/cut', '--chunk-size', '1M', '--connections', '4'])
        const done = collect(pull)
        await until('hfx to fetch every chunk but the first', () => hub.bytesServed('model.safetensors') >= 7 * MiB)
        pull.kill(signal)
        const first = await done
        expect(first.code, 'hfx finished before it was interrupted: the test proves nothing').not.toBe(0)

        hub.clearFaults()
        const run = await py.run(client, SNAPSHOT_DOWNLOAD, { args: ['acme/cut'] })
        expect(run.code, why(run)).toBe(0)
        expect(await cacheProblems(home.cache, repo)).toEqual([])
      })
    }
  })
}

// The clients read and write 10 MiB at a time (DOWNLOAD_CHUNK_SIZE): a partial file that holds anything
// needs a file larger than that.
const BIG = 12 * MiB

async function partialSizes(blobs: string): Promise<number[]> {
  const names = (await readdir(blobs).catch(() => [] as string[])).filter((n) => n.endsWith('.incomplete'))
  return Promise.all(names.map((n) => stat(path.join(blobs, n)).then((s) => s.size, () => 0)))
}

/** Starts a client download of acme/reverse and SIGKILLs it once 10 MiB of its partial file are on disk. */
async function killClientMidFile(client: (typeof HUB_CLIENTS)[number], hub: Hub, home: Home, py: Py) {
  const repo = hub.addRepo('acme/reverse', { 'config.json': '{"model_type":"bert"}', 'model.safetensors': bytes(42, BIG) })
  // The CDN holds the body after 11 MiB until the client is gone (the extreme of throttling), so the
  // kill lands mid-file every time, however loaded the machine.
  hub.inject({ kind: 'stall', afterBytes: 11 * MiB, filePath: 'model.safetensors' })
  const child: ChildProcess = py.spawn(client, SNAPSHOT_DOWNLOAD, { args: ['acme/reverse'] })
  let exited: RunResult | undefined
  const done = collect(child).then((r) => (exited = r))
  const blobs = path.join(repoDir(home.cache, 'acme/reverse'), 'blobs')
  await until(`${client} to write 10 MiB of its partial file`, async () => exited !== undefined || (await partialSizes(blobs)).some((n) => n >= 10 * MiB))
  if (exited) throw new Error(`${client} ended before it could be killed: ${why(exited)}`)
  child.kill('SIGKILL')
  await done
  hub.clearFaults()
  return repo
}

for (const client of HUB_CLIENTS) {
  describe.skipIf(!PEERS[client])(`${client} killed, then hfx finishes`, () => {
    // 0.36 leaves `<etag>.incomplete`, 1.18+ `<etag>.<8 hex>.incomplete`: both are true prefixes.
    test(`${client} SIGKILLed mid-file; hfx takes over its partial, fetches only the rest, and every blob verifies`, async ({ hub, home, hfx, py }) => {
      const repo = await killClientMidFile(client, hub, home, py)
      hub.resetLog()
      const run = await hfx('pull', 'acme/reverse')
      expect(run.code, run.stderr).toBe(0)
      expect(hub.bytesServed('model.safetensors')).toBeLessThanOrEqual(BIG - 10 * MiB)
      expect(await partialSizes(path.join(repoDir(home.cache, 'acme/reverse'), 'blobs'))).toEqual([])
      expect(await cacheProblems(home.cache, repo)).toEqual([])
    })
  })
}
