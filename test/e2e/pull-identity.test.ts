// What is published is the file whose bytes were hashed, named by its inode, not by its path: another
// process (or the server, through a file listed at hfx's own partial path) that puts different bytes at the
// partial's name while it downloads gets them neither published nor deleted (src/pull/publish.ts
// moveVerified, src/pull/part-state.ts discard, src/pull/hash-worker.ts).
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, readdir, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { bytes, sha256, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test } from '../helpers/test.js'
import { until } from '../helpers/until.js'
import type { Hub } from '../emulator/index.js'

const MiB = 1024 * 1024
const SIZE = 6 * MiB
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)
const PULL = ['--chunk-size', '1M', '--connections', '2']

/** Waits for hfx's partial of `base` in `dir` and for some of its bytes to be served; returns its path. */
async function partialWhileDownloading(hub: Hub, dir: string, base: string, file: string): Promise<string> {
  let found: string | undefined
  await until('a partial file being written', async () => {
    found = (await readdir(dir).catch(() => [] as string[])).find((n) => n.startsWith(`${base}.hfx-`) && n.endsWith('.partial'))
    return found !== undefined && hub.bytesServed(file) > MiB
  })
  return path.join(dir, found!)
}

/** Another process's move: a file with other bytes renamed over the partial (an atomic replace of the name). */
async function swapIn(partial: string, content: Buffer): Promise<void> {
  await writeFile(`${partial}.decoy`, content)
  await rename(`${partial}.decoy`, partial)
}

describe('publish by identity', () => {
  test('a partial replaced while it downloads is not published: exit 7, and a re-run fixes it', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/swap', { 'model.bin': bytes(1, SIZE) })
    const decoy = bytes(666, SIZE) // same size: only the identity tells the files apart
    const dir = path.join(home.dir, 'local')
    const download = path.join(dir, '.cache', 'huggingface', 'download')
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const child = hfx.spawn(['pull', 'acme/swap', '--local-dir', dir, ...PULL])
    const done = collect(child)
    await swapIn(await partialWhileDownloading(hub, download, `model.bin.${repo.sha256('model.bin')}`, 'model.bin'), decoy)
    const run = await done
    expect(run.code, run.stderr).toBe(7)
    // Two detectors, whichever sees the swap first: the hash worker reopening the partial by name, or the
    // identity check before publishing.
    expect(run.stderr).toMatch(
      /error: the partial file .* (was replaced or changed by another process after its hash was checked; not publishing it|was replaced by another file while it was downloading; not hashing another file in its place)\./,
    )
    expect(existsSync(path.join(dir, 'model.bin'))).toBe(false)

    hub.throttle({})
    const again = await hfx('pull', 'acme/swap', '--local-dir', dir, ...PULL)
    expect(again.code, again.stderr).toBe(0)
    expect(await sha256File(path.join(dir, 'model.bin'))).toBe(repo.sha256('model.bin'))
  })

  test('a partial replaced before its hash fails is left alone, not deleted; the pull stops with exit 7', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/swap-bad', { 'model.bin': bytes(2, SIZE) })
    const decoy = bytes(667, SIZE)
    const blobs = path.join(home.cache, 'models--acme--swap-bad', 'blobs')
    hub.inject({ filePath: 'model.bin', kind: 'corrupt', offset: SIZE - 3 })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const child = hfx.spawn(['pull', 'acme/swap-bad', ...PULL])
    const done = collect(child)
    const partial = await partialWhileDownloading(hub, blobs, repo.sha256('model.bin'), 'model.bin')
    await swapIn(partial, decoy)
    const run = await done
    expect(run.code, run.stderr).toBe(7)
    // Whichever detector sees the swap first (the hash worker under load, or the check before deleting).
    expect(run.stderr).toMatch(/was replaced by another (process while it was downloading; leaving that file alone|file while it was downloading; not hashing another file in its place)/)
    expect(sha256(await readFile(partial))).toBe(sha256(decoy)) // the other process's file, untouched

    hub.throttle({})
    const again = await hfx('pull', 'acme/swap-bad', ...PULL)
    expect(again.code, again.stderr).toBe(0)
    expect(await sha256File(path.join(again.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
    expect(await readdir(blobs)).toEqual([repo.sha256('model.bin')])
  })

  test("the original attack: a repo listing a second file at hfx's own partial path for model.bin never gets it published as model.bin", async ({ hub, home, hfx }) => {
    const weights = bytes(3, 3 * MiB)
    const evil = bytes(668, 64 * 1024)
    const dir = path.join(home.dir, 'local')
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    // The partial's name holds the host tag and the pid; the listing is made before the child's first
    // request can be answered (this process serves it, and has not yielded yet).
    const child = hfx.spawn(['pull', 'acme/evil', '--local-dir', dir, ...PULL])
    const partialPath = `.cache/huggingface/download/model.bin.${sha256(weights)}.hfx-${HOST}-${child.pid}.partial`
    hub.addRepo('acme/evil', { 'model.bin': { content: weights, lfs: true }, [partialPath]: { content: evil, lfs: true } })
    const run = await collect(child)
    // Refused outright, or fetched as two files: either way model.bin is what was hashed, never the other file.
    if (existsSync(path.join(dir, 'model.bin'))) expect(await sha256File(path.join(dir, 'model.bin'))).toBe(sha256(weights))
    if (run.code === 0) expect(existsSync(path.join(dir, 'model.bin'))).toBe(true)
    expect(run.stderr).not.toContain('looks like a bug')
  })
})
