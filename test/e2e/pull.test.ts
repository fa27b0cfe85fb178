// `hfx pull` into the huggingface_hub cache and into a local folder: the layout loaders read, exactly.
import { readFile, readdir, stat, writeFile, utimes } from 'node:fs/promises'
import path from 'node:path'
import { linkOf, listFiles, readRef, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

describe('hfx pull into the cache', () => {
  test('writes blobs, relative snapshot symlinks and refs/main exactly as huggingface_hub does', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tiny', {
      'config.json': '{"model_type":"llama"}',
      'model.safetensors': bytes(1, 3 * MiB),
      'original/params.json': '{"dim":8}',
      'original/sub/deep.bin': bytes(2, 40 * 1024),
    })
    const run = await hfx('pull', 'acme/tiny')
    expect(run.code).toBe(0)
    const dir = repoDir(home.cache, 'acme/tiny')
    const snapshot = path.join(dir, 'snapshots', repo.head)
    expect(run.stdout).toBe(`${snapshot}\n`)
    expect(await readRef(home.cache, 'acme/tiny')).toBe(repo.head) // no newline, as huggingface_hub writes it

    const etag = (p: string) => repo.etag(p)
    expect(await listFiles(dir)).toEqual(
      [
        // hfx's record of what this commit's pull fetched, inside the repo folder where no scanner looks.
        `.hfx/manifests/${repo.head}.json`,
        `blobs/${etag('config.json')}`,
        `blobs/${etag('model.safetensors')}`,
        `blobs/${etag('original/params.json')}`,
        `blobs/${etag('original/sub/deep.bin')}`,
        'refs/main',
        `snapshots/${repo.head}/config.json`,
        `snapshots/${repo.head}/model.safetensors`,
        `snapshots/${repo.head}/original/params.json`,
        `snapshots/${repo.head}/original/sub/deep.bin`,
      ].sort(),
    )
    // Nothing else in the cache root: huggingface_hub 0.x's scan_cache_dir reports any other entry (even the
    // CACHEDIR.TAG that 1.x writes) as a broken repo.
    expect((await readdir(home.cache)).sort()).toEqual(['.locks', 'models--acme--tiny'])
    // LFS blobs are named by sha256, the others by git blob sha1.
    expect(etag('model.safetensors')).toBe(repo.sha256('model.safetensors'))
    expect(etag('config.json')).toBe(repo.gitSha1('config.json'))
    expect(await linkOf(path.join(snapshot, 'config.json'))).toBe(`../../blobs/${etag('config.json')}`)
    expect(await linkOf(path.join(snapshot, 'original/params.json'))).toBe(`../../../blobs/${etag('original/params.json')}`)
    expect(await linkOf(path.join(snapshot, 'original/sub/deep.bin'))).toBe(`../../../../blobs/${etag('original/sub/deep.bin')}`)
    expect(await sha256File(path.join(snapshot, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(await readFile(path.join(snapshot, 'config.json'), 'utf8')).toBe('{"model_type":"llama"}')
  })

  test('a second pull of a complete snapshot transfers no file bytes', async ({ hub, hfx }) => {
    hub.addRepo('acme/again', { 'a.json': '{}', 'w.safetensors': bytes(3, 2 * MiB) })
    expect((await hfx('pull', 'acme/again')).code).toBe(0)
    hub.resetLog()
    const second = await hfx('pull', 'acme/again')
    expect(second.code).toBe(0)
    expect(hub.bytesServed()).toBe(0)
    expect(hub.requests.filter((r) => r.path.includes('/resolve/') || r.origin === 'cdn')).toEqual([])
    expect(second.stderr).toMatch(/^up to date: 2 files, 2\.10 MB, commit [0-9a-f]{12} → /m)
  })

  test('a blob already in the cache is linked, not fetched (same content at a new commit)', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/moving', { 'w.safetensors': bytes(4, 1 * MiB), 'a.txt': 'one' })
    expect((await hfx('pull', 'acme/moving')).code).toBe(0)
    const second = repo.commit({ 'w.safetensors': bytes(4, 1 * MiB), 'a.txt': 'two' })
    hub.resetLog()
    const run = await hfx('pull', 'acme/moving')
    expect(run.code).toBe(0)
    expect(hub.bytesServed('w.safetensors')).toBe(0)
    expect(hub.bytesServed('a.txt')).toBe(3)
    expect(await readRef(home.cache, 'acme/moving')).toBe(second)
    expect(await sha256File(path.join(repoDir(home.cache, 'acme/moving'), 'snapshots', second, 'w.safetensors'))).toBe(repo.sha256('w.safetensors'))
  })

  test('every file comes from the one commit the revision resolved to', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/pinned', { 'a.txt': 'a', 'b.txt': 'b' })
    const run = await hfx('pull', 'acme/pinned')
    expect(run.code).toBe(0)
    const fileRequests = hub.requests.filter((r) => r.path.includes('/resolve/'))
    // One GET per file, and the HEAD that checks access before anything is written.
    expect(fileRequests.filter((r) => r.method === 'GET').length).toBe(2)
    expect(fileRequests.length).toBe(3)
    for (const r of fileRequests) expect(r.path).toContain(`/resolve/${repo.head}/`)
  })

  test('positional files, --include/--exclude, and a tag revision writes refs/<tag>', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/pick', { 'a.json': '{}', 'b.json': '[]', 'w.safetensors': bytes(5, 100_000), 'x/y.safetensors': bytes(6, 50_000) })
    repo.setRef('v1', repo.head)
    const run = await hfx('pull', 'acme/pick@v1', 'a.json', '--include', '*.safetensors', '--exclude', 'x/*')
    expect(run.code).toBe(0)
    expect(await readRef(home.cache, 'acme/pick', 'v1')).toBe(repo.head)
    expect(await listFiles(path.join(repoDir(home.cache, 'acme/pick'), 'snapshots', repo.head))).toEqual(['a.json', 'w.safetensors'])
  })

  test('refs/pr/1 nests under refs/refs/pr/1; datasets and spaces use their own prefixes', async ({ hub, home, hfx }) => {
    const model = hub.addRepo('acme/pr', { 'a.txt': 'a' })
    const pr = model.commit({ 'a.txt': 'pr' }, { branch: 'pr-branch' })
    model.setRef('refs/pr/1', pr)
    expect((await hfx('pull', 'acme/pr', '--revision', 'refs/pr/1')).code).toBe(0)
    expect(await readFile(path.join(repoDir(home.cache, 'acme/pr'), 'refs/refs/pr/1'), 'utf8')).toBe(pr)

    const data = hub.addRepo('acme/data', { 'train/part-0.parquet': bytes(7, 30_000) }, { type: 'dataset' })
    const d = await hfx('pull', 'datasets/acme/data')
    expect(d.code).toBe(0)
    expect(d.stdout.trim()).toBe(path.join(home.cache, 'datasets--acme--data', 'snapshots', data.head))
    const space = hub.addRepo('acme/demo', { 'app.py': 'print(1)' }, { type: 'space' })
    const s = await hfx('pull', 'acme/demo', '--repo-type', 'space')
    expect(s.stdout.trim()).toBe(path.join(home.cache, 'spaces--acme--demo', 'snapshots', space.head))
  })

  test('org/name@refs/tags/v1 (and hf://…@refs/tags/v1/file) pull the tag; the ref nests as huggingface_hub writes it', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tagged', { 'a.json': '{}', 'b.json': '[]' })
    const v1 = repo.head
    repo.commit({ 'a.json': '{"v":2}', 'b.json': '[]' })
    repo.setRef('refs/tags/v1', v1) // the emulator knows refs by their full name only
    const run = await hfx('pull', 'acme/tagged@refs/tags/v1', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim()).toBe(path.join(repoDir(home.cache, 'acme/tagged'), 'snapshots', v1))
    expect(await readFile(path.join(repoDir(home.cache, 'acme/tagged'), 'refs/refs/tags/v1'), 'utf8')).toBe(v1)
    const one = await hfx('pull', 'hf://acme/tagged@refs/tags/v1/b.json', '--quiet')
    expect(one.code, one.stderr).toBe(0)
  })

  test('a pull by full commit sha writes no ref', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/bysha', { 'a.txt': 'a' })
    expect((await hfx('pull', `acme/bysha@${repo.head}`)).code).toBe(0)
    expect(await listFiles(path.join(repoDir(home.cache, 'acme/bysha'), 'refs'))).toEqual([])
  })

  test('HF_HUB_CACHE and --cache-dir choose the cache', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/where', { 'a.txt': 'a' })
    const viaEnv = await hfx.with({ env: { HF_HUB_CACHE: path.join(home.dir, 'envcache') } })('pull', 'acme/where', '--quiet')
    expect(viaEnv.stdout.startsWith(path.join(home.dir, 'envcache', 'models--acme--where'))).toBe(true)
    const viaFlag = await hfx('pull', 'acme/where', '--quiet', '--cache-dir', path.join(home.dir, 'flagcache'))
    expect(viaFlag.stdout.startsWith(path.join(home.dir, 'flagcache', 'models--acme--where'))).toBe(true)
  })

  test('--quiet prints only the path', async ({ hub, hfx }) => {
    hub.addRepo('acme/q', { 'a.txt': 'a' })
    const run = await hfx('pull', 'acme/q', '--quiet')
    expect(run.stderr).toBe('')
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
  })
})

describe('hfx pull --local-dir', () => {
  test('writes plain files with huggingface_hub metadata, and a re-run skips up-to-date files', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/local', { 'config.json': '{}', 'sub/w.safetensors': bytes(8, 1 * MiB) })
    const dir = path.join(home.dir, 'out')
    const run = await hfx('pull', 'acme/local', '--local-dir', dir)
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toBe(dir)
    const st = await stat(path.join(dir, 'sub/w.safetensors'))
    expect(st.isFile()).toBe(true)
    expect(await sha256File(path.join(dir, 'sub/w.safetensors'))).toBe(repo.sha256('sub/w.safetensors'))
    const meta = (await readFile(path.join(dir, '.cache/huggingface/download/sub/w.safetensors.metadata'), 'utf8')).split('\n')
    expect(meta[0]).toBe(repo.head)
    expect(meta[1]).toBe(repo.sha256('sub/w.safetensors'))
    expect(Number(meta[2])).toBeGreaterThan(1e9)
    expect(await listFiles(dir)).toEqual([
      // as huggingface_hub ≥ 1.x marks it: skipped by backup tools and by `git add .`
      '.cache/huggingface/.gitignore',
      '.cache/huggingface/CACHEDIR.TAG',
      // huggingface_hub's lock files, which it leaves too (deleting a lock file is never safe)
      '.cache/huggingface/download/config.json.lock',
      '.cache/huggingface/download/config.json.metadata',
      '.cache/huggingface/download/sub/w.safetensors.lock',
      '.cache/huggingface/download/sub/w.safetensors.metadata',
      'config.json',
      'sub/w.safetensors',
    ])

    hub.resetLog()
    expect((await hfx('pull', 'acme/local', '--local-dir', dir)).code).toBe(0)
    expect(hub.bytesServed()).toBe(0)

    // A file edited after the download is not up to date any more: it is fetched again.
    await writeFile(path.join(dir, 'config.json'), '{"edited": true}')
    const later = new Date(Date.now() + 5000)
    await utimes(path.join(dir, 'config.json'), later, later)
    expect((await hfx('pull', 'acme/local', '--local-dir', dir)).code).toBe(0)
    expect(hub.bytesServed('config.json')).toBe(2)
    expect(await readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{}')
  })
})
