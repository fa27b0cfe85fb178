// Symlinks planted where hfx writes, reads or deletes — by another user of a shared cache, or by a script —
// never lead it out of the cache or the local folder. Each test plants a link to a file or folder in an
// "outside" folder, runs the real CLI and checks that the outside is exactly as it was; hfx either works
// around the link (a link at a name private to the process is removed, a rename replaces a link) or
// refuses with exit 7 and says which link (src/no-follow.ts, src/pull/publish.ts, src/cache/apply-deletion.ts).
import { createHash } from 'node:crypto'
import { lstat, mkdir, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { commitSha, writeHfRepo } from '../helpers/hf-cache.js'
import { collect, describe, expect, test, type Home } from '../helpers/test.js'

const MiB = 1024 * 1024
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)

/** Every entry below `dir` with its content (files), target (links) or 'dir': to compare before and after. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const p = path.join(rel, e.name)
      const full = path.join(dir, p)
      if (e.isSymbolicLink()) out[p] = `link:${await readlink(full)}`
      else if (e.isDirectory()) {
        out[p] = 'dir'
        await walk(p)
      } else out[p] = (await readFile(full)).toString('base64')
    }
  }
  await walk('')
  return out
}

/** A folder outside the cache with a file and a subfolder worth protecting. */
async function outside(home: Home): Promise<{ dir: string; file: string; before: Record<string, string> }> {
  const dir = path.join(home.dir, 'outside')
  await mkdir(path.join(dir, 'sub'), { recursive: true })
  await writeFile(path.join(dir, 'precious.txt'), 'keep me')
  await writeFile(path.join(dir, 'sub', 'also.txt'), 'keep me too')
  return { dir, file: path.join(dir, 'precious.txt'), before: await tree(dir) }
}

describe('pull: a link at a name hfx writes is never written through', () => {
  test.for(['.partial', '.partial.parts'])("a symlink at the process's own partial file name (cache, %s) is removed or replaced, not followed", async (suffix, { hub, home, hfx }) => {
    const content = bytes(1, 3 * MiB)
    const repo = hub.addRepo('acme/partial-link', { 'model.bin': content })
    const out = await outside(home)
    const blobs = path.join(repoDir(home.cache, 'acme/partial-link'), 'blobs')
    await mkdir(blobs, { recursive: true })
    // The name is predictable (host tag and pid): plant it before the child's first request can be answered.
    const child = hfx.spawn(['pull', 'acme/partial-link', '--chunk-size', '1M'])
    await symlink(out.file, path.join(blobs, `${repo.sha256('model.bin')}.hfx-${HOST}-${child.pid}${suffix}`))
    const run = await collect(child)
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(out.before)
    expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
  })

  test("--local-dir: a symlink at the process's own partial file name is removed, not followed", async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/local-partial-link', { 'model.bin': bytes(2, 2 * MiB) })
    const out = await outside(home)
    const dir = path.join(home.dir, 'local')
    const download = path.join(dir, '.cache', 'huggingface', 'download')
    await mkdir(download, { recursive: true })
    const child = hfx.spawn(['pull', 'acme/local-partial-link', '--local-dir', dir])
    await symlink(out.file, path.join(download, `model.bin.${repo.sha256('model.bin')}.hfx-${HOST}-${child.pid}.partial`))
    const run = await collect(child)
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(out.before)
    expect(await sha256File(path.join(dir, 'model.bin'))).toBe(repo.sha256('model.bin'))
  })

  test('--local-dir: a duplicate-content copy replaces a symlink at its destination instead of writing through it', async ({ hub, home, hfx }) => {
    const same = bytes(3, 64 * 1024)
    const repo = hub.addRepo('acme/dupes', { 'a.bin': same, 'b.bin': same })
    const out = await outside(home)
    const dir = path.join(home.dir, 'local')
    await mkdir(dir, { recursive: true })
    await symlink(out.file, path.join(dir, 'b.bin')) // b.bin is a copy of a.bin, made once a.bin is in place
    const run = await hfx('pull', 'acme/dupes', '--local-dir', dir)
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed()).toBe(same.length)
    expect(await tree(out.dir)).toEqual(out.before)
    expect((await lstat(path.join(dir, 'b.bin'))).isFile()).toBe(true)
    expect(await sha256File(path.join(dir, 'b.bin'))).toBe(repo.sha256('b.bin'))
  })

  test('--local-dir: metadata files that are links are replaced, never written through', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/meta-link', { 'config.json': '{"a":1}' })
    const out = await outside(home)
    const dir = path.join(home.dir, 'local')
    const download = path.join(dir, '.cache', 'huggingface', 'download')
    await mkdir(download, { recursive: true })
    await symlink(out.file, path.join(download, 'config.json.metadata'))
    const run = await hfx('pull', 'acme/meta-link', '--local-dir', dir)
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(out.before)
    expect((await lstat(path.join(download, 'config.json.metadata'))).isFile()).toBe(true)
  })

  test.for([
    ['.locks', (cache: string) => path.join(cache, '.locks')],
    ['.locks/<repo folder>', (cache: string) => path.join(cache, '.locks', 'models--acme--locklink')],
  ] as const)('a symlinked %s: the pull goes on without the lock and creates nothing outside', async ([, where], { hub, home, hfx }) => {
    const repo = hub.addRepo('acme/locklink', { 'model.bin': bytes(4, 1 * MiB) })
    const out = await outside(home)
    const link = where(home.cache)
    await mkdir(path.dirname(link), { recursive: true })
    await symlink(out.dir, link)
    const run = await hfx('pull', 'acme/locklink')
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(out.before)
    expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
  })

  test('a lock file that is a symlink (dangling or not) is not followed: no file appears at its target', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/lockfile-link', { 'a.bin': bytes(5, 1 * MiB), 'b.bin': bytes(6, 1 * MiB) })
    const out = await outside(home)
    const locks = path.join(home.cache, '.locks', 'models--acme--lockfile-link')
    await mkdir(locks, { recursive: true })
    await symlink(path.join(out.dir, 'created-through-a-link'), path.join(locks, `${repo.sha256('a.bin')}.lock`))
    await symlink(out.file, path.join(locks, `${repo.sha256('b.bin')}.lock`))
    const run = await hfx('pull', 'acme/lockfile-link')
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(out.before)
  })
})

describe('pull: a symlinked folder inside the cache or the local folder is refused (exit 7)', () => {
  const cases: [string, (home: Home) => string, string[]][] = [
    ['the repo folder', (h) => repoDir(h.cache, 'acme/folders'), []],
    ['blobs/', (h) => path.join(repoDir(h.cache, 'acme/folders'), 'blobs'), []],
    ['snapshots/', (h) => path.join(repoDir(h.cache, 'acme/folders'), 'snapshots'), []],
    ['refs/', (h) => path.join(repoDir(h.cache, 'acme/folders'), 'refs'), []],
    ['.hfx/ (manifests)', (h) => path.join(repoDir(h.cache, 'acme/folders'), '.hfx'), []],
    ['.no_exist/ (markers for a named file the commit lacks)', (h) => path.join(repoDir(h.cache, 'acme/folders'), '.no_exist'), ['absent.json']],
    ['--local-dir .cache/', (h) => path.join(h.dir, 'local', '.cache'), ['--local-dir', 'LOCAL']],
  ]
  test.for(cases)('%s', async ([, where, extra], { hub, home, hfx }) => {
    hub.addRepo('acme/folders', { 'config.json': '{"a":1}', 'model.bin': bytes(7, 256 * 1024) })
    const out = await outside(home)
    const link = where(home)
    await mkdir(path.dirname(link), { recursive: true })
    await symlink(out.dir, link)
    const run = await hfx('pull', 'acme/folders', ...extra.map((a) => (a === 'LOCAL' ? path.join(home.dir, 'local') : a)))
    expect(run.code, run.stderr).toBe(7)
    expect(run.stderr).toMatch(/error: .* is a symlink; refusing to write/)
    expect(await tree(out.dir)).toEqual(out.before)
  })
})

test('a pull with everything cached, whose blobs/ became a link, deletes no leftover through it', async ({ hub, home, hfx }) => {
  const content = bytes(9, 64 * 1024)
  const repo = hub.addRepo('acme/cached', { 'model.bin': { content, lfs: true } })
  expect((await hfx('pull', 'acme/cached')).code).toBe(0)
  const out = await outside(home)
  const etag = repo.sha256('model.bin')
  // Looks like the blob and an abandoned partial of it: a pull deletes such leftovers in a real blobs/.
  await writeFile(path.join(out.dir, etag), content)
  await writeFile(path.join(out.dir, `${etag}.incomplete`), content.subarray(0, 100))
  const before = await tree(out.dir)
  const blobs = path.join(repoDir(home.cache, 'acme/cached'), 'blobs')
  await rm(blobs, { recursive: true })
  await symlink(out.dir, blobs)
  const run = await hfx('pull', 'acme/cached')
  expect(run.code, run.stderr).toBe(7)
  expect(run.stderr).toContain(`${blobs} is a symlink`)
  expect(await tree(out.dir)).toEqual(before)
})

describe('cache commands never delete or move anything through a symlink', () => {
  const V1 = commitSha('v1')
  const V2 = commitSha('v2')
  const cache = (home: Home) =>
    writeHfRepo(home.cache, 'acme/tiny', {
      time: new Date(Date.now() - 30 * 86_400_000),
      revisions: [
        { commit: V1, refs: ['v1.0'], files: { 'config.json': '{"v":1}', 'model.bin': { content: bytes(8, 32 * 1024), lfs: true } } },
        { commit: V2, refs: ['main'], files: { 'config.json': '{"v":2}' } },
      ],
    })

  test('rm of a whole repo whose blobs/ and .locks/<folder> are symlinks removes the links only', async ({ home, hfx }) => {
    const repo = await cache(home)
    const out = await outside(home)
    // What the links point to looks like cache content, to tempt a deletion.
    await writeFile(path.join(out.dir, 'sub', repo.etag(V1, 'model.bin')), 'not a blob')
    const before = await tree(out.dir)
    await rm(repo.blobsDir, { recursive: true })
    await symlink(path.join(out.dir, 'sub'), repo.blobsDir)
    await rm(path.join(home.cache, '.locks', repo.folder), { recursive: true, force: true })
    await mkdir(path.join(home.cache, '.locks'), { recursive: true })
    await symlink(out.dir, path.join(home.cache, '.locks', repo.folder))
    const run = await hfx('cache', 'rm', 'acme/tiny', '--yes')
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(repo.dir)).toBe(false)
    expect(await tree(out.dir)).toEqual(before)
  })

  test('prune with a symlinked .hfx/ deletes no *.json through it', async ({ home, hfx }) => {
    const repo = await cache(home)
    const out = await outside(home)
    await mkdir(path.join(out.dir, 'manifests'), { recursive: true })
    await writeFile(path.join(out.dir, 'manifests', `${commitSha('gone')}.json`), '{"someone":"else"}')
    const before = await tree(out.dir)
    await symlink(out.dir, path.join(repo.dir, '.hfx'))
    const run = await hfx('cache', 'prune', '--yes', '--older-than', '0')
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(before)
  })

  test("a symlinked <cache>/.hfx (hfx 0.1's state) is not migrated: nothing is moved out of it", async ({ home, hfx }) => {
    const repo = await cache(home)
    const out = await outside(home)
    await mkdir(path.join(out.dir, 'manifests', repo.folder), { recursive: true })
    await writeFile(path.join(out.dir, 'manifests', repo.folder, `${V1}.json`), JSON.stringify({ commit: V1, files: [] }))
    const before = await tree(out.dir)
    await symlink(out.dir, path.join(home.cache, '.hfx'))
    const run = await hfx('cache', 'ls')
    expect(run.code, run.stderr).toBe(0)
    expect(await tree(out.dir)).toEqual(before)
  })

  test('rm of a repo folder that is a symlink: not in the cache, and nothing behind the link is touched', async ({ home, hfx }) => {
    const out = await outside(home)
    await mkdir(home.cache, { recursive: true })
    await symlink(out.dir, path.join(home.cache, 'models--acme--elsewhere'))
    const run = await hfx('cache', 'rm', 'acme/elsewhere', '--yes')
    expect(run.code).toBe(3)
    expect(await tree(out.dir)).toEqual(out.before)
  })
})
