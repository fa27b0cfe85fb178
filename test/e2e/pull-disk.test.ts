// The disk: too little space is refused before the first byte, a disk that fills mid-pull keeps the
// partial for a resume, offline mode answers from the cache alone, and planted symlinks are not followed.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { manifestFile } from '../../src/cache/manifest.js'
import { hfxPartials, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

/** A small tmpfs: the only honest way to meet a full disk. CI runs as root, where mount works. */
async function smallDisk(sizeMiB: number): Promise<{ dir: string; release(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir])
  return {
    dir,
    async release() {
      execFileSync('umount', ['-l', dir])
      await rm(dir, { recursive: true, force: true })
    },
  }
}

const canMount = (() => {
  try {
    return process.getuid?.() === 0 && execFileSync('sh', ['-c', 'command -v mount']).length > 0
  } catch {
    return false
  }
})()

describe.runIf(canMount)('disk space (needs root for a tmpfs)', () => {
  test('a pull that cannot fit is refused before the first byte, saying how much is needed and free', async ({ hub, hfx }) => {
    hub.addRepo('acme/huge', { 'model.safetensors': bytes(1, 6 * MiB) })
    const disk = await smallDisk(4)
    try {
      const run = await hfx('pull', 'acme/huge', '--cache-dir', disk.dir)
      expect(run.code).toBe(7)
      expect(run.stderr).toMatch(/error: not enough disk space in .*: 6\.29 MB still to download, 4\.\d+ MB free\./)
      expect(hub.bytesServed()).toBe(0)
    } finally {
      await disk.release()
    }
  })

  test('a dry run that will not fit says so and exits 7, as the pull would, in text and in --json', async ({ hub, hfx }) => {
    hub.addRepo('acme/huge', { 'model.safetensors': bytes(1, 6 * MiB), 'config.json': '{}' })
    const disk = await smallDisk(4)
    try {
      const run = await hfx('pull', 'acme/huge', '--cache-dir', disk.dir, '--dry-run')
      expect(run.code).toBe(7)
      expect(run.stdout).toMatch(/download +6\.29 MB +model\.safetensors/)
      expect(run.stdout).toMatch(/will not fit: 6\.29 MB to download, 4\.\d+ MB free/)
      expect(run.stderr).toMatch(/error: not enough disk space in .*: 6\.29 MB still to download, 4\.\d+ MB free\./)

      const json = await hfx('pull', 'acme/huge', '--cache-dir', disk.dir, '--dry-run', '--json')
      expect(json.code).toBe(7)
      const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l))
      expect(events.map((e) => e.event)).toEqual(['plan', 'error'])
      expect(events[0]).toMatchObject({ dryRun: true, downloadBytes: 6 * MiB + 2, fitsOnDisk: false })
      expect(events[1]).toMatchObject({ code: 'NO_SPACE', exitCode: 7 })
      expect(hub.bytesServed()).toBe(0)
      expect(await readdir(disk.dir)).toEqual([]) // a dry run writes nothing, fitting or not

      const small = await hfx('pull', 'acme/huge', 'config.json', '--cache-dir', disk.dir, '--dry-run', '--json')
      expect(small.code, small.stderr).toBe(0)
      expect(JSON.parse(small.stdout.trim().split('\n')[0])).toMatchObject({ fitsOnDisk: true })
    } finally {
      await disk.release()
    }
  })

  test('a disk that fills mid-pull: a clear error, the partial kept, and a resume once there is room', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/fill', { 'model.safetensors': bytes(2, 6 * MiB) })
    const disk = await smallDisk(8)
    try {
      hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
      const child = hfx.spawn(['pull', 'acme/fill', '--cache-dir', disk.dir, '--chunk-size', '1M', '--connections', '1'])
      const done = collect(child)
      while (hub.bytesServed('model.safetensors') < 2 * MiB) await new Promise((r) => setTimeout(r, 20))
      // Something else fills the disk while hfx is downloading.
      const filler = path.join(disk.dir, 'filler')
      await writeFile(filler, Buffer.alloc(5 * MiB)).catch(() => {})
      const run = await done
      expect(run.code, run.stderr).toBe(7)
      expect(run.stderr).toMatch(/error: no space left on the device/)
      expect(await hfxPartials(path.join(repoDir(disk.dir, 'acme/fill'), 'blobs'), repo.sha256('model.safetensors'))).toHaveLength(1)

      await rm(filler)
      hub.throttle({})
      const before = hub.bytesServed('model.safetensors')
      const again = await hfx('pull', 'acme/fill', '--cache-dir', disk.dir, '--chunk-size', '1M', '--connections', '1')
      expect(again.code, again.stderr).toBe(0)
      expect(hub.bytesServed('model.safetensors') - before).toBeLessThan(6 * MiB)
      expect(await sha256File(path.join(again.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    } finally {
      await disk.release()
    }
  })
})

describe('offline', () => {
  test('HF_HUB_OFFLINE=1 prints the cached snapshot without a request, and fails clearly when it is not complete', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/off', { 'a.json': '{}', 'w.safetensors': bytes(3, 100_000) })
    const offline = hfx.with({ env: { HF_HUB_OFFLINE: '1' } })

    const missing = await offline('pull', 'acme/off')
    expect(missing.code).toBe(9)
    expect(missing.stderr).toContain('error: HF_HUB_OFFLINE is set and acme/off@main is not in the cache')

    const online = await hfx('pull', 'acme/off')
    expect(online.code).toBe(0)
    hub.resetLog()
    const run = await offline('pull', 'acme/off')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe(online.stdout)
    expect(hub.requests).toEqual([])

    await rm(path.join(online.stdout.trim(), 'w.safetensors'))
    const partial = await offline('pull', 'acme/off')
    expect(partial.code).toBe(9)
    expect(partial.stderr).toContain('is incomplete: 1 of 2 files is missing (w.safetensors)')
    expect(repo.head).toBeTruthy()
  })
})

describe('offline: whole repo or the part pulled', () => {
  test('after a partial --include pull, a whole-repo offline pull exits 9; a full pull makes it answerable for good', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/part', { 'a.json': '{}', 'b.json': '[]', 'w.safetensors': bytes(4, 50_000) })
    const offline = hfx.with({ env: { HF_HUB_OFFLINE: '1' } })
    expect((await hfx('pull', 'acme/part', '--include', '*.json')).code).toBe(0)

    const whole = await offline('pull', 'acme/part')
    expect(whole.code).toBe(9)
    expect(whole.stderr).toContain('error: HF_HUB_OFFLINE is set and only part of acme/part@main is cached: it was pulled with --include, --exclude or file names.')
    const same = await offline('pull', 'acme/part', '--include', '*.json')
    expect(same.code, same.stderr).toBe(0)

    expect((await hfx('pull', 'acme/part')).code).toBe(0)
    expect((await hfx('pull', 'acme/part', 'a.json')).code).toBe(0) // a later selective pull keeps the full listing
    const manifest = JSON.parse(await readFile(manifestFile(home.cache, { type: 'model', id: 'acme/part' }, repo.head), 'utf8'))
    expect(manifest.complete).toBe(true)
    const done = await offline('pull', 'acme/part')
    expect(done.code, done.stderr).toBe(0)
  })

  test('a manifest from an hfx that did not record completeness is not trusted for the whole repo, and says why', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/older', { 'a.json': '{}' })
    expect((await hfx('pull', 'acme/older')).code).toBe(0)
    const file = manifestFile(home.cache, { type: 'model', id: 'acme/older' }, repo.head)
    const { complete, ...older } = JSON.parse(await readFile(file, 'utf8'))
    expect(complete).toBe(true)
    await writeFile(file, JSON.stringify(older))
    const run = await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('pull', 'acme/older')
    expect(run.code).toBe(9)
    expect(run.stderr).toContain('hfx cannot tell whether the cached snapshot of acme/older@main is the whole repo: an older hfx pulled it without recording that.')
    expect((await hfx('pull', 'acme/older')).code).toBe(0) // online once: nothing to download, the listing is recorded
    expect((await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('pull', 'acme/older')).code).toBe(0)
  })
})

describe('offline revisions', () => {
  test('a pull at a short sha writes refs/<short>, so the same pull works offline; any unique prefix does too', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/short', { 'a.json': '{}' })
    const old = repo.head
    repo.commit({ 'a.json': '{"v":2}' })
    const short = old.slice(0, 7)
    const online = await hfx('pull', `acme/short@${short}`, '--quiet')
    expect(online.code, online.stderr).toBe(0)
    expect(await readFile(path.join(repoDir(home.cache, 'acme/short'), 'refs', short), 'utf8')).toBe(old)

    hub.resetLog()
    const offline = hfx.with({ env: { HF_HUB_OFFLINE: '1' } })
    const again = await offline('pull', `acme/short@${short}`, '--quiet')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toBe(online.stdout)
    const prefix = await offline('pull', `acme/short@${old.slice(0, 5)}`, '--quiet') // no ref names it: the snapshot folder does
    expect(prefix.code, prefix.stderr).toBe(0)
    expect(prefix.stdout).toBe(online.stdout)
    const verify = await offline('cache', 'verify', `acme/short@${short}`)
    expect(verify.code, verify.stderr).toBe(0)
    expect(hub.requests).toEqual([])
  })
})

describe('hostile local state', () => {
  test('a symlink planted inside the snapshot is not followed out of the cache', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/planted', { 'sub/x.json': '{"x":1}' })
    const outside = await mkdtemp(path.join(os.tmpdir(), 'hfx-outside-'))
    try {
      const snapshot = path.join(repoDir(home.cache, 'acme/planted'), 'snapshots', repo.head)
      await mkdir(snapshot, { recursive: true })
      await symlink(outside, path.join(snapshot, 'sub'))
      const run = await hfx('pull', 'acme/planted')
      expect(run.code).toBe(7)
      expect(run.stderr).toContain('is a symlink; refusing to write sub/x.json through it')
      expect(await readdir(outside)).toEqual([])
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })

  test('--local-dir: nothing is written outside the folder through a planted symlink', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/planted2', { 'sub/x.json': '{"x":1}' })
    const outside = await mkdtemp(path.join(os.tmpdir(), 'hfx-outside-'))
    const dir = path.join(home.dir, 'out')
    try {
      await mkdir(dir, { recursive: true })
      await symlink(outside, path.join(dir, 'sub'))
      const run = await hfx('pull', 'acme/planted2', '--local-dir', dir)
      expect(run.code).toBe(7)
      expect(await readdir(outside)).toEqual([])
      expect((await stat(path.join(dir, 'sub'), { bigint: false })).isDirectory()).toBe(true)
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })
})
