// `hfx cache ls | verify | rm | prune` on caches built by hand the way huggingface_hub lays them out
// (test/helpers/hf-cache.ts), with nested refs, .no_exist markers, .locks, CACHEDIR.TAG, an unknown trees/
// folder, partial downloads of different ages and symlinks planted to lead outside the cache.
import { mkdir, open, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { listFiles } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { ageTree, commitSha, writeHfRepo, type HfFile } from '../helpers/hf-cache.js'
import { describe, expect, test } from '../helpers/test.js'

const KiB = 1024
const DAY = 86_400_000
const OLD = new Date(Date.now() - 30 * DAY)
const V1 = commitSha('v1')
const V2 = commitSha('v2')
const WEIGHTS: HfFile = { content: bytes(1, 64 * KiB), lfs: true }
const TOKENIZER: HfFile = { content: bytes(2, 8 * KiB), lfs: true }

/** Two revisions of one model sharing two of their three blobs; v1 is named by a tag and a PR ref. */
function twoRevisions(cache: string) {
  return writeHfRepo(cache, 'acme/tiny', {
    time: OLD,
    revisions: [
      { commit: V1, refs: ['v1.0', 'refs/pr/1'], noExist: ['generation_config.json'], files: { 'config.json': '{"v":1}', 'model.safetensors': WEIGHTS, 'tok/tokenizer.json': TOKENIZER } },
      { commit: V2, refs: ['main'], files: { 'config.json': '{"v":2}', 'model.safetensors': WEIGHTS, 'tok/tokenizer.json': TOKENIZER } },
    ],
  })
}

/** What hfx 0.1 (`<cache>/.hfx/`, moved into the repo folder by any cache command) and newer huggingface_hub
 * keep beside the repos: none of it is a repo. */
async function extras(cache: string, folder: string) {
  await mkdir(path.join(cache, '.hfx', 'manifests', folder), { recursive: true })
  await writeFile(path.join(cache, '.hfx', 'manifests', folder, `${V1}.json`), JSON.stringify({ commit: V1, files: [] }))
  await mkdir(path.join(cache, folder, 'trees', V1), { recursive: true })
  await writeFile(path.join(cache, folder, 'trees', V1, 'listing.json'), '[]')
}

describe('hfx cache ls', () => {
  test('lists repos with type, size (shared blobs once), revisions, refs; one repo in detail', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    await extras(home.cache, repo.folder)
    await writeHfRepo(home.cache, 'acme/data', { type: 'dataset', revisions: [{ commit: commitSha('d'), refs: ['main'], files: { 'train.csv': 'a,b\n1,2\n' } }] })

    const list = await hfx('cache', 'ls', '--sort', 'size')
    expect(list.code).toBe(0)
    const lines = list.stdout.split('\n')
    expect(lines[0]).toMatch(/^REPO\s+TYPE\s+SIZE\s+FILES\s+REVISIONS\s+REFS\s+PARTIAL\s+LAST USED$/)
    expect(lines[1]).toMatch(/^acme\/tiny\s+model\s+73\.7 kB\s+4\s+2\s+main, refs\/pr\/1, v1\.0\s+-\s+1 month ago$/) // 72 KiB + 2×7 B
    expect(lines[2]).toMatch(/^datasets\/acme\/data\s+dataset\s+8 B\s+1\s+1\s+main\s+-\s+just now$/)
    expect(lines[3]).toBe(`2 repos, 73.8 kB on disk in ${home.cache}`)

    const json = JSON.parse((await hfx('cache', 'ls', '--json')).stdout)
    const tiny = json.repos.find((r: { id: string }) => r.id === 'acme/tiny')
    expect(json.repos.map((r: { repo: string }) => r.repo)).toEqual(['acme/tiny', 'datasets/acme/data'])
    expect(tiny.sizeOnDisk).toBe(64 * KiB + 8 * KiB + 7 + 7)
    expect(Math.abs(Date.parse(tiny.lastAccessed) - OLD.getTime())).toBeLessThan(2) // utimes goes through float seconds
    expect(tiny.revisions).toEqual([
      { commit: V2, refs: ['main'], files: 3, size: 64 * KiB + 8 * KiB + 7, snapshot: true },
      { commit: V1, refs: ['refs/pr/1', 'v1.0'], files: 3, size: 64 * KiB + 8 * KiB + 7, snapshot: true },
    ])

    const detail = await hfx('cache', 'ls', 'acme/tiny')
    expect(detail.code).toBe(0)
    expect(detail.stdout).toContain(`${V2}  main`)
    expect(detail.stdout).toContain(`${V1}  refs/pr/1, v1.0`)

    // --cache-dir and HF_HUB_CACHE choose the cache like every other command.
    const elsewhere = await hfx('--cache-dir', path.join(home.dir, 'empty'), 'cache', 'ls')
    expect(elsewhere.stdout).toBe(`no repos in ${path.join(home.dir, 'empty')}\n`)
    const missing = await hfx('cache', 'ls', 'acme/nope')
    expect(missing.code).toBe(3)
  })

  test('a sparse partial download counts by the blocks it really holds, not its length', async ({ home, hfx }) => {
    const repo = await writeHfRepo(home.cache, 'acme/sparse', { revisions: [{ commit: V1, refs: ['main'], files: { 'config.json': '{}' } }] })
    // hfx writes chunks at their offsets: 1 MiB written at 99 MiB makes a 100 MiB file holding 1 MiB.
    const partial = path.join(repo.dir, 'blobs', `${'c'.repeat(64)}.hfx-0123abcd-42.partial`)
    const fh = await open(partial, 'w')
    await fh.write(bytes(3, 1024 * KiB), 0, 1024 * KiB, 99 * 1024 * KiB)
    await fh.close()
    const json = JSON.parse((await hfx('cache', 'ls', '--json')).stdout)
    const sparse = json.repos.find((r: { id: string }) => r.id === 'acme/sparse')
    expect(sparse.partials).toBe(1)
    expect(sparse.partialBytes).toBeGreaterThanOrEqual(1024 * KiB)
    expect(sparse.partialBytes).toBeLessThan(2 * 1024 * KiB)
  })
  test('a repo with only partial downloads shows as a partial download, with the bytes its partials hold', async ({ home, hfx }) => {
    const dir = path.join(home.cache, 'models--acme--interrupted', 'blobs')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, `${'d'.repeat(64)}.hfx-0123abcd-42.partial`), bytes(4, 300 * KiB))
    const list = await hfx('cache', 'ls')
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout.split('\n')[1]).toMatch(/^acme\/interrupted\s+model\s+307 kB\s+partial\s+0\s+-\s+307 kB\s+just now$/)
    const json = JSON.parse((await hfx('cache', 'ls', '--json')).stdout)
    expect(json.repos[0]).toMatchObject({ repo: 'acme/interrupted', hub: 'huggingface', partialOnly: true, partials: 1, sizeOnDisk: 0 })
    expect(json.repos[0].partialBytes).toBeGreaterThanOrEqual(300 * KiB)
    expect(json.repos[0].lastModified).not.toBeNull()
    const detail = await hfx('cache', 'ls', 'acme/interrupted')
    expect(detail.stdout).toMatch(/^acme\/interrupted  model  partial download: 307 kB in 1 file, last written just now\n/)
  })
})

describe('hfx cache rm', () => {
  test('removing one revision keeps the blobs shared with another, and its refs go with it', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    await extras(home.cache, repo.folder)
    const dry = await hfx('cache', 'rm', 'acme/tiny@v1.0', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toBe(
      `acme/tiny@${V1} (refs/pr/1, v1.0): snapshot of 3 files\nacme/tiny: 1 blob no kept snapshot uses\nwould free 7 B (dry run: nothing was removed)\n`,
    )
    expect(existsSync(repo.snapshot(V1))).toBe(true)

    const run = await hfx('cache', 'rm', 'acme/tiny@v1.0', '--yes')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('freed 7 B')
    expect(await listFiles(repo.dir)).toEqual(
      [
        `blobs/${repo.etag(V2, 'config.json')}`,
        `blobs/${repo.etag(V2, 'model.safetensors')}`,
        `blobs/${repo.etag(V2, 'tok/tokenizer.json')}`,
        'refs/main',
        `snapshots/${V2}/config.json`,
        `snapshots/${V2}/model.safetensors`,
        `snapshots/${V2}/tok/tokenizer.json`,
        `trees/${V1}/listing.json`, // unknown folders are opaque
      ].sort(),
    )
    expect(existsSync(path.join(repo.dir, 'refs', 'refs'))).toBe(false) // the emptied refs/refs/pr folders too
    expect(existsSync(path.join(repo.dir, '.hfx', 'manifests', `${V1}.json`))).toBe(false)
    expect(existsSync(path.join(home.cache, '.hfx'))).toBe(false) // hfx 0.1's folder, which scanners report as a broken repo
    expect(await sha256File(repo.snapshot(V2, 'model.safetensors'))).toBe(repo.etag(V2, 'model.safetensors'))
  })

  test('a whole repo goes with its manifests; other repos stay, and no lock file is deleted', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    await extras(home.cache, repo.folder)
    const other = await writeHfRepo(home.cache, 'acme/other', { revisions: [{ commit: V1, refs: ['main'], files: { 'model.safetensors': WEIGHTS } }] })
    const run = await hfx('cache', 'rm', 'acme/tiny', '-y')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('acme/tiny: the whole repo (2 revisions, 4 blobs), 73.7 kB')
    expect(existsSync(repo.dir)).toBe(false)
    expect(existsSync(path.join(home.cache, '.hfx'))).toBe(false)
    // A lock file deleted while someone holds it lets a third process lock a new inode: they stay, as
    // huggingface_hub leaves them.
    expect((await readdir(path.join(home.cache, '.locks'))).sort()).toEqual([other.folder, repo.folder].sort())
    expect(existsSync(other.blob(V1, 'model.safetensors'))).toBe(true)
  })

  test('refuses to delete without --yes when not on a terminal, and names nothing it cannot find', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    const run = await hfx('cache', 'rm', 'acme/tiny')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('hint: Pass --yes to delete, or --dry-run')
    const typo = await hfx('cache', 'rm', 'acme/tiny@v1.0', 'acme/tiny@v9', '--yes')
    expect(typo.code).toBe(3)
    expect(typo.stderr).toContain('acme/tiny@v9 is not in the cache')
    expect(existsSync(repo.snapshot(V1))).toBe(true) // all targets resolve before anything is deleted
  })

  test('never follows a symlink planted in a snapshot out of the cache', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    const outside = path.join(home.dir, 'precious')
    await mkdir(path.join(outside, 'blobs'), { recursive: true })
    await writeFile(path.join(outside, 'file.txt'), 'keep me')
    await writeFile(path.join(outside, 'blobs', 'abc'), 'keep me too')
    await symlink(path.join(outside, 'file.txt'), repo.snapshot(V1, 'evil-file'))
    await symlink(outside, repo.snapshot(V1, 'evil-dir'))
    await symlink(path.join(outside, 'blobs', 'abc'), repo.snapshot(V1, 'looks-like-a-blob'))
    await symlink('../../blobs/../../../precious/file.txt', repo.snapshot(V2, 'climbs-out'))

    expect((await hfx('cache', 'rm', 'acme/tiny@v1.0', '--yes')).code).toBe(0)
    expect(existsSync(repo.snapshot(V1))).toBe(false)
    expect((await hfx('cache', 'rm', 'acme/tiny', '--yes')).code).toBe(0)
    expect(existsSync(repo.dir)).toBe(false)
    expect(await readFile(path.join(outside, 'file.txt'), 'utf8')).toBe('keep me')
    expect(await readFile(path.join(outside, 'blobs', 'abc'), 'utf8')).toBe('keep me too')
  })
})

describe('hfx cache prune', () => {
  test('removes detached revisions, unused blobs and old partials; keeps a fresh partial', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    // v1 loses its refs (as when a branch moves): its snapshot is detached.
    await rm(path.join(repo.dir, 'refs', 'v1.0'))
    await rm(path.join(repo.dir, 'refs', 'refs'), { recursive: true })
    const stray = path.join(repo.blobsDir, 'f'.repeat(40))
    await writeFile(stray, 'nothing links me')
    await ageTree(repo.blobsDir, OLD)
    await writeHfRepo(home.cache, 'acme/tiny', {
      revisions: [],
      partials: [
        { etag: 'a'.repeat(64), content: bytes(3, 4 * KiB), sidecar: true, mtime: new Date(Date.now() - 3 * DAY) },
        { etag: 'b'.repeat(64), content: bytes(4, 2 * KiB), sidecar: true, mtime: new Date(Date.now() - 3_600_000) },
      ],
    })

    const dry = await hfx('cache', 'prune', '--older-than', '1d', '--dry-run')
    expect(dry.code).toBe(0)
    // The v1 config blob, the stray blob, and the old partial with its sidecar.
    expect(dry.stdout).toMatch(
      new RegExp(`^acme/tiny@${V1} \\(detached\\): snapshot of 3 files\nacme/tiny: 2 blobs no kept snapshot uses, 1 abandoned partial download\nwould free 4\\.\\d\\d kB \\(dry run: nothing was removed\\)\n$`),
    )
    const run = await hfx('cache', 'prune', '--older-than', '1d', '--yes')
    expect(run.code).toBe(0)
    const files = await listFiles(repo.dir)
    expect(files.filter((f) => f.startsWith('blobs/')).sort()).toEqual(
      [
        `blobs/${repo.etag(V2, 'config.json')}`,
        `blobs/${repo.etag(V2, 'model.safetensors')}`,
        `blobs/${repo.etag(V2, 'tok/tokenizer.json')}`,
        `blobs/${'b'.repeat(64)}.incomplete`,
        `blobs/${'b'.repeat(64)}.incomplete.parts`,
      ].sort(),
    )
    expect(files.some((f) => f.startsWith(`snapshots/${V1}`) || f.startsWith(`.no_exist/${V1}`))).toBe(false)
    expect((await hfx('cache', 'prune', '--yes')).stdout).toBe('nothing to remove\n')
  })
})

describe('hfx cache verify', () => {
  test('offline: catches a flipped byte and a missing blob against the blob names', async ({ home, hfx }) => {
    const repo = await twoRevisions(home.cache)
    const offline = hfx.with({ env: { HF_HUB_OFFLINE: '1' } })
    const clean = await offline('cache', 'verify', 'acme/tiny')
    expect(clean.code).toBe(0)
    expect(clean.stdout).toBe(`acme/tiny  main → ${V2}\n3 files hashed against their blob names\nok: no problems\n`)

    await flipByte(repo.blob(V2, 'model.safetensors'), 1000)
    await rm(repo.blob(V2, 'config.json'))
    const run = await offline('cache', 'verify', 'acme/tiny')
    expect(run.code).toBe(6)
    expect(run.stdout).toContain(`corrupt   model.safetensors: sha256`)
    expect(run.stdout).toContain(`dangling  config.json: links to blobs/${repo.etag(V2, 'config.json')}, which is gone`)
    expect(run.stderr).toContain('error: acme/tiny@')
    expect(run.stderr).toContain('1 corrupt')
    // The v1 snapshot shares the corrupt blob: the same check catches it there.
    expect((await offline('cache', 'verify', 'acme/tiny@refs/pr/1')).code).toBe(6)
    expect((await offline('cache', 'verify', 'acme/tiny', '--fix')).code).toBe(9)
  })

  test("online: checks against the Hub's listing, and --fix fetches the bad files through the pull engine", async ({ hub, home, hfx }) => {
    const files: Record<string, HfFile> = { 'config.json': '{"model_type":"llama"}', 'model.safetensors': WEIGHTS, 'tok/tokenizer.json': TOKENIZER, 'README.md': '# tiny' }
    const emu = hub.addRepo('acme/tiny', files)
    const repo = await writeHfRepo(home.cache, 'acme/tiny', { revisions: [{ commit: emu.head, refs: ['main'], files }] })
    expect((await hfx('cache', 'verify', 'acme/tiny')).code).toBe(0)

    await flipByte(repo.blob(emu.head, 'model.safetensors'), 7)
    await rm(repo.blob(emu.head, 'tok/tokenizer.json'))
    await rm(repo.snapshot(emu.head, 'README.md')) // as if never downloaded: only --complete calls it missing
    const run = await hfx('cache', 'verify', 'acme/tiny')
    expect(run.code).toBe(6)
    expect(run.stdout).toMatch(/2 files hashed against the Hub's listing/)
    expect(run.stdout).toContain('corrupt   model.safetensors')
    expect(run.stdout).toContain('dangling  tok/tokenizer.json')
    expect(run.stdout).toContain('1 file of the commit was never downloaded')

    hub.resetLog()
    const fix = await hfx('cache', 'verify', 'acme/tiny', '--complete', '--fix')
    expect(fix.stdout).toContain('missing   README.md')
    expect(fix.stdout).toContain('fixed: fetched 3 files again')
    expect(fix.code).toBe(0)
    expect(hub.bytesServed('config.json')).toBe(0) // the good file is not fetched again
    expect(await sha256File(repo.snapshot(emu.head, 'model.safetensors'))).toBe(emu.sha256('model.safetensors'))
    expect(await readFile(repo.snapshot(emu.head, 'README.md'), 'utf8')).toBe('# tiny')
    const again = await hfx('cache', 'verify', 'acme/tiny', '--complete')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('4 files hashed')
  })
})

async function flipByte(file: string, offset: number): Promise<void> {
  const buf = await readFile(file)
  buf[offset] ^= 0xff
  await rm(file) // a blob may be read-only; replace it
  await writeFile(file, buf)
}
