// Which partial files a pull takes over, and how: never one that may still be written, by rename when its
// owner is provably gone, by copy when it belongs to another tool or host; and huggingface_hub's lock is
// waited for and never touched (src/pull/claim-partial.ts, src/pull/blob-lock.ts).
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, stat, utimes, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { hfxPartials, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test } from '../helpers/test.js'
import { until } from '../helpers/until.js'

const MiB = 1024 * 1024
const SIZE = 3 * MiB
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)
/** Above any pid_max a Linux system allows by default: a process that surely does not exist. */
const DEAD_PID = 2 ** 22 + 12345

/** Writes an hfx partial holding `ranges` of `content` (garbage elsewhere), with its sidecar. */
async function plant(blobs: string, etag: string, owner: string, content: Buffer, ranges: [number, number][], mtime?: Date) {
  await mkdir(blobs, { recursive: true })
  const file = path.join(blobs, `${etag}.hfx-${owner}.partial`)
  const data = bytes(77, content.length) // wrong bytes wherever the sidecar says nothing is done
  for (const [s, e] of ranges) content.copy(data, s, s, e)
  await writeFile(file, data)
  await writeFile(`${file}.parts`, JSON.stringify({ version: 1, etag, size: content.length, done: ranges.map(([start, end]) => ({ start, end })) }))
  if (mtime) {
    await utimes(file, mtime, mtime)
    await utimes(`${file}.parts`, mtime, mtime)
  }
  return file
}

describe('taking over partial files', () => {
  test("a partial of a live hfx process on this host is left alone: the pull writes its own", async ({ hub, home, hfx }) => {
    const content = bytes(41, SIZE)
    const repo = hub.addRepo('acme/live', { 'model.safetensors': content })
    const blobs = path.join(repoDir(home.cache, 'acme/live'), 'blobs')
    const theirs = await plant(blobs, repo.sha256('model.safetensors'), `${HOST}-${process.pid}`, content, [[0, 2 * MiB]])
    const before = await stat(theirs)
    const run = await hfx('pull', 'acme/live')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE)
    const after = await stat(theirs)
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs])
    expect(await sha256File(path.join(run.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('a partial whose process is gone is taken over by rename, with the ranges its sidecar names', async ({ hub, home, hfx }) => {
    const content = bytes(42, SIZE)
    const repo = hub.addRepo('acme/dead', { 'model.safetensors': content })
    const blobs = path.join(repoDir(home.cache, 'acme/dead'), 'blobs')
    const theirs = await plant(blobs, repo.sha256('model.safetensors'), `${HOST}-${DEAD_PID}`, content, [[MiB, 2 * MiB]])
    const run = await hfx('pull', 'acme/dead')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE - MiB)
    expect(existsSync(theirs)).toBe(false)
    expect(await hfxPartials(blobs, repo.sha256('model.safetensors'))).toEqual([])
    expect(await sha256File(path.join(run.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test("another host's partial: copied while fresh (the lease is ours) but left to its writer; copied and removed once quiet for 30 s", async ({ hub, home, hfx }) => {
    const content = bytes(43, SIZE)
    const repo = hub.addRepo('acme/remote', { 'model.safetensors': content, 'b.safetensors': bytes(44, SIZE) })
    const blobs = path.join(repoDir(home.cache, 'acme/remote'), 'blobs')
    const fresh = await plant(blobs, repo.sha256('model.safetensors'), `0badc0de-${process.pid}`, content, [[0, 2 * MiB]])
    const quiet = await plant(blobs, repo.sha256('b.safetensors'), `0badc0de-${process.pid}`, bytes(44, SIZE), [[0, 2 * MiB]], new Date(Date.now() - 60_000))
    const run = await hfx('pull', 'acme/remote')
    expect(run.code, run.stderr).toBe(0)
    // An hfx of another host writes a partial only while it holds the blob's lease, and the lease is ours:
    // its bytes are kept. The file stays, in case its writer is an older hfx that takes no lease.
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE - 2 * MiB)
    expect(existsSync(fresh)).toBe(true)
    expect(hub.bytesServed('b.safetensors')).toBe(SIZE - 2 * MiB)
    expect(existsSync(quiet)).toBe(false)
  })

  test('a sparse partial of hfx 0.1 (`<etag>.incomplete` + `.parts`) is taken over with its ranges', async ({ hub, home, hfx }) => {
    const content = bytes(45, SIZE)
    const repo = hub.addRepo('acme/legacy', { 'model.safetensors': content })
    const blobs = path.join(repoDir(home.cache, 'acme/legacy'), 'blobs')
    const etag = repo.sha256('model.safetensors')
    await mkdir(blobs, { recursive: true })
    const old = path.join(blobs, `${etag}.incomplete`)
    const data = Buffer.alloc(2 * MiB) // a hole from 0 to 1 MiB, the right bytes after it
    content.copy(data, MiB, MiB, 2 * MiB)
    await writeFile(old, data)
    await writeFile(`${old}.parts`, JSON.stringify({ version: 1, etag, size: SIZE, done: [{ start: MiB, end: 2 * MiB }] }))
    const run = await hfx('pull', 'acme/legacy')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE - MiB)
    expect(await readdir(blobs)).toEqual([etag])
  })

  test("huggingface_hub's `<etag>.incomplete` is copied, resumed from its length, then removed", async ({ hub, home, hfx }) => {
    const content = bytes(46, SIZE)
    const repo = hub.addRepo('acme/hubpartial', { 'model.safetensors': content })
    const blobs = path.join(repoDir(home.cache, 'acme/hubpartial'), 'blobs')
    await mkdir(blobs, { recursive: true })
    await writeFile(path.join(blobs, `${repo.sha256('model.safetensors')}.incomplete`), content.subarray(0, 2 * MiB))
    const run = await hfx('pull', 'acme/hubpartial')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(MiB)
    expect(await readdir(blobs)).toEqual([repo.sha256('model.safetensors')])
  })

  test("in a local folder, huggingface_hub's `<hash of name>.<etag>.incomplete` is taken over too", async ({ hub, home, hfx }) => {
    const content = bytes(49, SIZE)
    const repo = hub.addRepo('acme/localpartial', { 'sub/model.safetensors': content })
    const dir = path.join(home.dir, 'out')
    const download = path.join(dir, '.cache', 'huggingface', 'download', 'sub')
    await mkdir(download, { recursive: true })
    // huggingface_hub: urlsafe_b64encode(sha1("model.safetensors.metadata")), padding kept
    const short = `${createHash('sha1').update('model.safetensors.metadata').digest('base64url')}=`
    await writeFile(path.join(download, `${short}.${repo.sha256('sub/model.safetensors')}.incomplete`), content.subarray(0, 2 * MiB))
    const run = await hfx('pull', 'acme/localpartial', '--local-dir', dir)
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('sub/model.safetensors')).toBe(MiB)
    expect((await readdir(download)).sort()).toEqual(['model.safetensors.lock', 'model.safetensors.metadata'])
    expect(await sha256File(path.join(dir, 'sub/model.safetensors'))).toBe(repo.sha256('sub/model.safetensors'))
  })

  test('a leftover partial of content that is already in place (finished by another tool) is deleted', async ({ hub, home, hfx }) => {
    const content = bytes(50, SIZE)
    const repo = hub.addRepo('acme/leftover', { 'model.safetensors': content })
    const etag = repo.sha256('model.safetensors')
    const dir = path.join(home.dir, 'out')
    expect((await hfx('pull', 'acme/leftover')).code).toBe(0)
    expect((await hfx('pull', 'acme/leftover', '--local-dir', dir)).code).toBe(0)
    const blobs = path.join(repoDir(home.cache, 'acme/leftover'), 'blobs')
    const download = path.join(dir, '.cache', 'huggingface', 'download')
    const inCache = await plant(blobs, etag, `${HOST}-${DEAD_PID}`, content, [[0, MiB]])
    const inLocal = await plant(download, `model.safetensors.${etag}`, `${HOST}-${DEAD_PID}`, content, [[0, MiB]])
    const live = await plant(blobs, etag, `${HOST}-${process.pid}`, content, [[0, MiB]])
    hub.resetLog()
    expect((await hfx('pull', 'acme/leftover')).code).toBe(0)
    expect((await hfx('pull', 'acme/leftover', '--local-dir', dir)).code).toBe(0)
    expect(hub.bytesServed()).toBe(0)
    expect([existsSync(inCache), existsSync(`${inCache}.parts`), existsSync(inLocal)]).toEqual([false, false, false])
    expect(existsSync(live)).toBe(true) // its process is alive: maybe still writing
  })
})

describe('two pulls of one blob', () => {
  test('when the pull holding the lock is stopped, the one waiting for it takes over its partial file', async ({ hub, hfx }) => {
    const BIG = 8 * MiB
    const repo = hub.addRepo('acme/relay', { 'model.safetensors': bytes(48, BIG) })
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const args = ['pull', 'acme/relay', '--chunk-size', '1M', '--connections', '2']
    const first = hfx.spawn(args)
    const firstDone = collect(first)
    // The first holds the lock once its bytes flow (the access probe reads none of them); a fixed delay here
    // let a slow start under load hand the lock to the second instead.
    await until('the first pull downloading', () => hub.bytesServed('model.safetensors') > 64 * 1024)
    const second = hfx.spawn(args)
    const secondDone = collect(second)
    let secondErr = ''
    second.stderr!.on('data', (d: Buffer) => {
      secondErr += d.toString()
    })
    await until('the second pull waiting for the lock', () => secondErr.includes('waiting'))
    await until('3 MiB served', () => hub.bytesServed('model.safetensors') >= 3 * MiB)
    first.kill('SIGINT')
    expect((await firstDone).code).toBe(130)
    const servedByFirst = hub.bytesServed('model.safetensors')
    hub.throttle({})
    const run = await secondDone
    expect(run.code, run.stderr).toBe(0)
    // The second fetched only what the first had not: nothing at all twice but what sat in socket buffers.
    expect(hub.bytesServed('model.safetensors')).toBeLessThan(BIG + 512 * 1024)
    expect(servedByFirst).toBeGreaterThan(3 * MiB - 1)
    expect(await sha256File(path.join(run.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })
})

describe('without a lock (filesystems where flock does not hold)', () => {
  test('two pulls at once both download, and neither publishes a byte it did not verify, even when one is served a corrupt byte', async ({ hub, home, hfx }) => {
    const BIG = 6 * MiB
    const repo = hub.addRepo('acme/nolock', { 'model.safetensors': bytes(51, BIG) })
    // A lock and a lease that cannot be made (here folders in their place) are gone without: nothing keeps the
    // two pulls apart.
    for (const name of ['lock', 'hfx-lease']) {
      await mkdir(path.join(home.cache, '.locks', 'models--acme--nolock', `${repo.sha256('model.safetensors')}.${name}`), { recursive: true })
    }
    hub.inject({ filePath: 'model.safetensors', kind: 'corrupt', offset: 4 * MiB + 3 }) // once, for whichever pull asks first
    hub.throttle({ perConnectionBytesPerSec: 4 * MiB })
    const args = ['pull', 'acme/nolock', '--chunk-size', '1M', '--connections', '2']
    const [one, two] = await Promise.all([collect(hfx.spawn(args)), collect(hfx.spawn(args))])
    expect(one.code, one.stderr).toBe(0)
    expect(two.code, two.stderr).toBe(0)
    expect(one.stderr + two.stderr).not.toContain('waiting')
    // Both fetched it (bandwidth is what a missing lock costs), one of them twice after the bad byte.
    expect(hub.bytesServed('model.safetensors')).toBeGreaterThanOrEqual(3 * BIG)
    expect(await sha256File(path.join(one.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(await readdir(path.join(repoDir(home.cache, 'acme/nolock'), 'blobs'))).toEqual([repo.sha256('model.safetensors')])
  })
})

describe("huggingface_hub's lock", () => {
  test('a held flock on .locks/<repo>/<etag>.lock makes hfx wait; the lock file is never replaced or deleted', async ({ hub, home, hfx }) => {
    const { flockSync } = createRequire(import.meta.url)('fs-ext') as { flockSync: (fd: number, how: string) => void }
    const repo = hub.addRepo('acme/flocked', { 'model.safetensors': bytes(47, SIZE) })
    const locks = path.join(home.cache, '.locks', 'models--acme--flocked')
    await mkdir(locks, { recursive: true })
    const lockFile = path.join(locks, `${repo.sha256('model.safetensors')}.lock`)
    const fh = await open(lockFile, 'w', 0o664)
    flockSync(fh.fd, 'exnb') // as Python's filelock takes it: flock(LOCK_EX | LOCK_NB)
    const inode = (await stat(lockFile)).ino
    const child = hfx.spawn(['pull', 'acme/flocked'])
    const done = collect(child)
    await new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => d.toString().includes('waiting') && resolve()))
    await new Promise((r) => setTimeout(r, 500))
    expect(hub.bytesServed('model.safetensors')).toBe(0)
    flockSync(fh.fd, 'un')
    await fh.close()
    const run = await done
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE)
    expect((await stat(lockFile)).ino).toBe(inode)
  })
})
