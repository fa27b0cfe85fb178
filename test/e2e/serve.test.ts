// `hfx serve` end to end: a cache pulled from the emulator is served by the built CLI, and hfx itself (pull, ls,
// info) uses it as HF_ENDPOINT. Hostile requests and a link planted in the cache get 404 and no byte from
// outside the cache; repos and revisions it does not hold get the Hub's error codes.
import { mkdir, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cacheProblems } from '../helpers/blob-check.js'
import { repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { CacheSource } from '../../src/serve/cache-source.js'
import { startHubServer } from '../../src/serve/hub-server.js'
import { raw, serve } from '../helpers/serve.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

describe('hfx serve', () => {
  test('hfx pulls from a served cache into another: same files, verified; ls and info work against it', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tiny', {
      'config.json': '{"model_type":"llama","hidden_size":64}',
      'model.safetensors': bytes(1, 3 * MiB),
      'sub/notes.txt': 'nested',
    })
    expect((await hfx('pull', 'acme/tiny')).code).toBe(0)
    const served = await serve(hfx)
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const other = path.join(home.dir, 'b')
    const viaServe = hfx.with({ env: { HF_ENDPOINT: served.url, HF_HOME: other } })
    const pull = await viaServe('pull', 'acme/tiny')
    expect(pull.code, pull.stderr).toBe(0)
    expect(await cacheProblems(path.join(other, 'hub'), repo)).toEqual([])
    expect((await readFile(path.join(repoDir(path.join(other, 'hub'), 'acme/tiny'), 'refs', 'main'), 'utf8')).trim()).toBe(repo.head)

    const ls = await viaServe('ls', 'acme/tiny', '--json')
    expect(ls.code, ls.stderr).toBe(0)
    const listing = JSON.parse(ls.stdout)
    expect(listing.commit).toBe(repo.head)
    expect(listing.files.map((f: { path: string }) => f.path).sort()).toEqual(['config.json', 'model.safetensors', 'sub/notes.txt'])
    const info = await viaServe('info', 'acme/tiny')
    expect(info.code, info.stderr).toBe(0)
    expect(info.stdout).toContain('llama')

    // The tree says what the Hub's says, pointer oids included.
    const tree = async (base: string) => JSON.parse((await raw(base, '/api/models/acme/tiny/tree/main?recursive=true')).body.toString())
    const files = (t: { type: string }[]) => t.filter((e) => e.type === 'file')
    expect(files(await tree(served.url))).toEqual(files(await tree(hub.url)))

    expect(served.stderr()).toMatch(/^HEAD \/acme\/tiny\/resolve\/[0-9a-f]{40}\/model\.safetensors 200 /m)
    const stop = await served.stop()
    expect(stop.code).toBe(0)
  })

  test('another node pulls with --mirror <hfx serve>: listing and hashes from the Hub, every file byte from the served cache', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/site', { 'config.json': '{"model_type":"llama"}', 'model.safetensors': bytes(3, 2 * MiB) })
    expect((await hfx('pull', 'acme/site')).code).toBe(0) // the connected box fills its cache
    const served = await serve(hfx)
    hub.resetLog()

    const node = path.join(home.dir, 'node')
    const run = await hfx.with({ env: { HF_HOME: node } })('pull', 'acme/site', '--mirror', served.url)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toContain('mirror')
    expect(await cacheProblems(path.join(node, 'hub'), repo)).toEqual([])
    // The Hub answered the revision and the listing; not one file byte came from it or its CDN.
    expect(hub.requests.some((r) => r.path.startsWith('/api/models/acme/site'))).toBe(true)
    expect(hub.bytesServed()).toBe(0)
    expect(hub.requests.filter((r) => r.origin === 'cdn')).toEqual([])
    expect(served.stderr()).toMatch(/^GET \/acme\/site\/resolve\/[0-9a-f]{40}\/model\.safetensors 20[06] /m)
    await served.stop()
  })

  test('resolve answers as the Hub does: ETag, X-Repo-Commit, X-Linked-*, Range and 416', async ({ hub, hfx }) => {
    const big = bytes(2, 1 * MiB)
    const repo = hub.addRepo('acme/r', { 'config.json': '{}', 'w.bin': big })
    expect((await hfx('pull', 'acme/r')).code).toBe(0)
    const { url } = await serve(hfx)

    const head = await raw(url, '/acme/r/resolve/main/w.bin', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers).toMatchObject({
      etag: `"${repo.sha256('w.bin')}"`,
      'x-linked-etag': `"${repo.sha256('w.bin')}"`,
      'x-linked-size': String(MiB),
      'x-repo-commit': repo.head,
      'content-length': String(MiB),
      'accept-ranges': 'bytes',
    })
    const small = await raw(url, '/acme/r/resolve/main/config.json')
    expect(small.body.toString()).toBe('{}')
    expect(small.headers.etag).toBe(`"${repo.gitSha1('config.json')}"`)
    expect(small.headers['x-linked-etag']).toBeUndefined()

    const part = await raw(url, `/acme/r/resolve/${repo.head}/w.bin`, { headers: { Range: 'bytes=10-19' } })
    expect(part.status).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 10-19/${MiB}`)
    expect(part.body.equals(big.subarray(10, 20))).toBe(true)
    const tail = await raw(url, '/acme/r/resolve/main/w.bin', { headers: { Range: 'bytes=-5' } })
    expect(tail.body.equals(big.subarray(MiB - 5))).toBe(true)
    const beyond = await raw(url, '/acme/r/resolve/main/w.bin', { headers: { Range: `bytes=${MiB}-` } })
    expect(beyond.status).toBe(416)
    expect(beyond.headers['content-range']).toBe(`bytes */${MiB}`)
  })

  test('the Hub error codes for what the cache does not hold', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/e', { 'config.json': '{}' })
    expect((await hfx('pull', 'acme/e')).code).toBe(0)
    const { url } = await serve(hfx)
    const code = async (target: string, method = 'GET') => {
      const a = await raw(url, target, { method })
      return [a.status, a.headers['x-error-code']]
    }
    expect(await code('/api/models/acme/e')).toEqual([200, undefined])
    expect(await code('/api/models/acme/other')).toEqual([404, 'RepoNotFound'])
    expect(await code('/api/datasets/acme/e')).toEqual([404, 'RepoNotFound'])
    expect(await code('/api/models/acme/e/revision/v9')).toEqual([404, 'RevisionNotFound'])
    expect(await code(`/api/models/acme/e/revision/${'0'.repeat(40)}`)).toEqual([404, 'RevisionNotFound'])
    expect(await code('/acme/e/resolve/main/missing.json', 'HEAD')).toEqual([404, 'EntryNotFound'])
    expect((await raw(url, '/acme/e/resolve/main/missing.json')).headers['x-repo-commit']).toBe(repo.head)
    expect(await code('/api/models/acme/e/tree/main/nope')).toEqual([404, 'EntryNotFound'])
    const info = JSON.parse((await raw(url, `/api/models/acme/e/revision/${repo.head}`)).body.toString())
    expect(info).toMatchObject({ id: 'acme/e', sha: repo.head, siblings: [{ rfilename: 'config.json' }] })
    const paths = await raw(url, '/api/models/acme/e/paths-info/main', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'paths=config.json&paths=nope',
    })
    expect(JSON.parse(paths.body.toString())).toEqual([{ type: 'file', path: 'config.json', size: 2, oid: repo.gitSha1('config.json') }])
  })

  test('traversal and a planted link answer 404 and never a byte from outside the cache', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/t', { 'config.json': '{}' })
    expect((await hfx('pull', 'acme/t')).code).toBe(0)
    const secret = path.join(home.dir, 'secret.txt')
    await writeFile(secret, 'TOP SECRET')
    const snap = path.join(repoDir(home.cache, 'acme/t'), 'snapshots', repo.head)
    await symlink(secret, path.join(snap, 'evil'))
    await symlink('/etc/passwd', path.join(snap, 'passwd'))
    await mkdir(path.join(snap, 'd'))
    await symlink(path.dirname(secret), path.join(snap, 'd', 'up'))
    const { url } = await serve(hfx)
    const targets = [
      '/acme/t/resolve/main/evil',
      '/acme/t/resolve/main/passwd',
      '/acme/t/resolve/main/d/up/secret.txt',
      '/acme/t/resolve/main/../../../secret.txt',
      '/acme/t/resolve/main/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt',
      '/acme/t/resolve/main/..%2F..%2F..%2F..%2Fsecret.txt',
      `/acme/t/resolve/main/${encodeURIComponent(secret)}`,
      '/acme/t/resolve/main/config.json%00.txt',
      '/acme/t/resolve/..%2F..%2F..%2F..%2F/secret.txt',
      '/acme/%2e%2e/resolve/main/config.json',
      '/api/models/acme/t/tree/main/..%2F..',
    ]
    for (const target of targets) {
      const a = await raw(url, target)
      expect([target, a.status]).toEqual([target, 404])
      expect(a.body.toString()).not.toMatch(/TOP SECRET|root:/)
    }
    const tree = JSON.parse((await raw(url, '/api/models/acme/t/tree/main?recursive=true')).body.toString())
    expect(tree.filter((e: { type: string }) => e.type === 'file').map((e: { path: string }) => e.path)).toEqual(['config.json'])
  })

  test('--token-file: 401 without the token or with another, 200 with it; the token is never logged', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/k', { 'config.json': '{}' })
    expect((await hfx('pull', 'acme/k')).code).toBe(0)
    const tokenFile = path.join(home.dir, 'serve-token')
    await writeFile(tokenFile, 'hf_servesecret123\n')
    const served = await serve(hfx, '--token-file', tokenFile)
    const get = (auth?: string) => raw(served.url, '/api/models/acme/k', { headers: auth ? { Authorization: auth } : {} })
    expect((await get()).status).toBe(401)
    expect((await get('Bearer hf_wrong')).status).toBe(401)
    expect((await get('Bearer hf_servesecret123')).status).toBe(200)
    const viaServe = hfx.with({ env: { HF_ENDPOINT: served.url, HF_HOME: path.join(home.dir, 'b'), HF_TOKEN: 'hf_servesecret123' } })
    const pull = await viaServe('pull', 'acme/k')
    expect(pull.code, pull.stderr).toBe(0)
    expect(served.stderr()).not.toContain('hf_servesecret123')
  })

  test('the tree pages with Link rel="next" and a cursor, as the Hub does (2 a page here, 1000 in the CLI)', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/p', { 'a.json': '1', 'b.json': '2', 'c/d.json': '3', 'c/e.json': '4', 'f.json': '5' })
    expect((await hfx('pull', 'acme/p')).code).toBe(0)
    const running = await startHubServer({ source: new CacheSource(home.cache), pageSize: 2, log: () => {} }, '127.0.0.1', 0)
    try {
      const seen: string[] = []
      let next: string | undefined = `${running.url}/api/models/acme/p/tree/main?recursive=true`
      let pages = 0
      while (next) {
        const res: Response = await fetch(next)
        expect(res.status).toBe(200)
        seen.push(...((await res.json()) as { path: string }[]).map((e) => e.path))
        next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
        pages++
      }
      expect(pages).toBe(3)
      expect(seen).toEqual(['a.json', 'b.json', 'c', 'c/d.json', 'c/e.json', 'f.json'])
      expect((await fetch(`${running.url}/api/models/acme/p/tree/main?cursor=bad`)).status).toBe(400)
    } finally {
      await running.close()
    }
  })

  test('--local-dir --repo: a folder pulled with --local-dir is served by its metadata; edited or linked files are not', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/ld', { 'config.json': '{}', 'w.bin': bytes(3, 1 * MiB), 'sub/n.txt': 'n', 'edited.txt': 'original' })
    const dir = path.join(home.dir, 'ld')
    expect((await hfx('pull', 'acme/ld', '--local-dir', dir)).code).toBe(0)
    // Edited after the pull: its etag is no longer known, so it is not served. A link is never served.
    await writeFile(path.join(dir, 'edited.txt'), 'changed')
    const later = new Date(Date.now() + 10_000)
    await utimes(path.join(dir, 'edited.txt'), later, later)
    const secret = path.join(home.dir, 'secret.txt')
    await writeFile(secret, 'TOP SECRET')
    await rm(path.join(dir, 'sub', 'n.txt'))
    await symlink(secret, path.join(dir, 'sub', 'n.txt'))

    const served = await serve(hfx, '--local-dir', dir, '--repo', 'acme/ld')
    expect((await raw(served.url, '/acme/ld/resolve/main/edited.txt')).status).toBe(404)
    const link = await raw(served.url, '/acme/ld/resolve/main/sub/n.txt')
    expect([link.status, link.body.toString()]).toEqual([404, expect.not.stringContaining('TOP SECRET')])
    expect((await raw(served.url, '/api/models/acme/other')).headers['x-error-code']).toBe('RepoNotFound')
    expect((await raw(served.url, '/api/models/acme/ld/revision/v2')).headers['x-error-code']).toBe('RevisionNotFound')

    const other = path.join(home.dir, 'b')
    const pull = await hfx.with({ env: { HF_ENDPOINT: served.url, HF_HOME: other } })('pull', 'acme/ld')
    expect(pull.code, pull.stderr).toBe(0)
    expect(await cacheProblems(path.join(other, 'hub'), repo)).toEqual([])
    const snap = path.join(repoDir(path.join(other, 'hub'), 'acme/ld'), 'snapshots', repo.head)
    expect((await readdir(snap)).sort()).toEqual(['config.json', 'w.bin'])
  })

  test('a port in use is a usage error that says so', async ({ hfx }) => {
    const first = await serve(hfx)
    const run = await hfx('serve', '--port', new URL(first.url).port)
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('the port is in use (EADDRINUSE)')])
  })

  test('--local-dir without --repo, and --repo alone, are usage errors', async ({ hfx, home }) => {
    const a = await hfx('serve', '--local-dir', home.dir)
    expect([a.code, a.stderr]).toEqual([2, expect.stringContaining('--local-dir needs --repo')])
    const b = await hfx('serve', '--repo', 'acme/x')
    expect([b.code, b.stderr]).toEqual([2, expect.stringContaining('--repo goes with --local-dir')])
  })
})
