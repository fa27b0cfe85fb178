// The emulator itself speaks the Hub protocol, so a bug there cannot hide a bug in hfx.
import { readFile, stat } from 'node:fs/promises'
import { Agent, request } from 'undici'
import { test as base, describe, expect } from 'vitest'
import { startHub, type Hub, type HubOptions } from './emulator/index.js'
import { bytes, gitSha1, sha256 } from './helpers/files.js'

const test = base.extend<{ hubOptions: HubOptions; hub: Hub }>({
  hubOptions: {},
  hub: async ({ hubOptions }, use) => {
    const hub = await startHub(hubOptions)
    await use(hub)
    await hub.close()
  },
})

/** A tree or paths-info entry as the emulator lists it (only the fields the tests read). */
type Entry = { type: string; path: string }

// A fresh connection pool per request keeps one test's broken sockets out of the next request.
async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'POST' = 'GET', body?: string) {
  const dispatcher = new Agent()
  try {
    const res = await request(url, { method, headers, body, dispatcher })
    const buf = Buffer.from(await res.body.arrayBuffer())
    return { status: res.statusCode, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString()) }
  } finally {
    await dispatcher.destroy()
  }
}

/** Reads a fetch body to the end or to its error, counting bytes. */
async function readAll(res: Response): Promise<{ received: number; error?: unknown }> {
  let received = 0
  try {
    for await (const chunk of res.body!) received += chunk.length
    return { received }
  } catch (error) {
    return { received, error }
  }
}

const KiB = 1024
const MiB = 1024 * KiB

test('bytes() is deterministic, seed-dependent and fast for 64 MiB', () => {
  expect(bytes(1, 1000).equals(bytes(1, 1000))).toBe(true)
  expect(bytes(1, 1000).equals(bytes(2, 1000))).toBe(false)
  expect(bytes(3, 10).equals(bytes(3, 11).subarray(0, 10))).toBe(true)
  expect(bytes(4, 64 * MiB).length).toBe(64 * MiB)
  expect(gitSha1('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391') // git hash-object of an empty file
})

test('info resolves branches, encoded refs/pr/N, full and short shas; legacy ids work', async ({ hub }) => {
  const repo = hub.addRepo('acme/tiny', { 'config.json': '{}' }, { cardData: { library_name: 'transformers' }, tags: ['t'] })
  const pr = repo.commit({ 'config.json': '{"pr":1}' }, { branch: 'pr-branch' })
  repo.setRef('refs/pr/1', pr)
  hub.addRepo('gpt2', { 'a.txt': 'a' })

  const main = (await get(`${hub.url}/api/models/acme/tiny`)).json()
  expect(main).toMatchObject({ id: 'acme/tiny', sha: repo.head, private: false, gated: false, disabled: false, library_name: 'transformers', tags: ['t'] })
  expect(main.siblings).toEqual([{ rfilename: 'config.json' }])
  expect((await get(`${hub.url}/api/models/acme/tiny/revision/refs%2Fpr%2F1`)).json().sha).toBe(pr)
  expect((await get(`${hub.url}/api/models/acme/tiny/revision/${pr}`)).json().sha).toBe(pr)
  expect((await get(`${hub.url}/api/models/acme/tiny/revision/${pr.slice(0, 7)}`)).json().sha).toBe(pr)
  expect((await get(`${hub.url}/api/models/gpt2/revision/main`)).json().id).toBe('gpt2')
  expect((await get(`${hub.url}/gpt2/resolve/main/a.txt`)).body.toString()).toBe('a')

  const missing = await get(`${hub.url}/api/models/acme/tiny/revision/nope`)
  expect(missing.status).toBe(404)
  expect(missing.headers['x-error-code']).toBe('RevisionNotFound')
  expect(hub.requests[0]).toMatchObject({ origin: 'hub', method: 'GET', path: '/api/models/acme/tiny', status: 200 })
})

test('refs lists branches and tags by short name, converts, and pull requests only when asked', async ({ hub }) => {
  const repo = hub.addRepo('acme/data', { 'a.txt': 'a' }, { type: 'dataset' })
  const dev = repo.commit({ 'a.txt': 'b' }, { branch: 'dev' })
  repo.setRef('v1.0', repo.head, { tag: true })
  repo.setRef('refs/tags/v2', dev)
  repo.setRef('refs/convert/parquet', dev)
  repo.setRef('refs/pr/1', dev)
  const refs = (await get(`${hub.url}/api/datasets/acme/data/refs`)).json()
  expect(refs).toEqual({
    branches: [
      { name: 'main', ref: 'refs/heads/main', targetCommit: repo.head },
      { name: 'dev', ref: 'refs/heads/dev', targetCommit: dev },
    ],
    tags: [
      { name: 'v1.0', ref: 'refs/tags/v1.0', targetCommit: repo.head },
      { name: 'v2', ref: 'refs/tags/v2', targetCommit: dev },
    ],
    converts: [{ name: 'parquet', ref: 'refs/convert/parquet', targetCommit: dev }],
  })
  expect((await get(`${hub.url}/api/datasets/acme/data/refs?include_prs=1`)).json().pullRequests).toEqual([{ name: '1', ref: 'refs/pr/1', targetCommit: dev }])
  expect((await get(`${hub.url}/api/models/acme/data/refs`)).headers['x-error-code']).toBe('RepoNotFound')
})

test('datasets and spaces use their prefixes', async ({ hub }) => {
  hub.addRepo('acme/data', { 'train.csv': 'a,b\n' }, { type: 'dataset' })
  hub.addRepo('acme/app', { 'app.py': 'print()' }, { type: 'space' })
  expect((await get(`${hub.url}/api/datasets/acme/data`)).json().id).toBe('acme/data')
  expect((await get(`${hub.url}/datasets/acme/data/resolve/main/train.csv`)).body.toString()).toBe('a,b\n')
  expect((await get(`${hub.url}/spaces/acme/app/resolve/main/app.py`)).status).toBe(200)
  expect((await get(`${hub.url}/api/models/acme/data`)).status).toBe(401)
})

test('hostile data: info fields laid over the answer, escape sequences in paths and headers as sent', async ({ hub }) => {
  const path = 'a\x1b]0;t\x07.txt'
  hub.addRepo('acme/odd', { [path]: 'x' }, { info: { id: 'acme/\x1b[2Jodd', pipeline_tag: 'p\u202e' } })
  const info = (await get(`${hub.url}/api/models/acme/odd/revision/main`)).json()
  expect(info).toMatchObject({ id: 'acme/\x1b[2Jodd', pipeline_tag: 'p\u202e', tags: [] })
  expect((await get(`${hub.url}/api/models/acme/odd/tree/main`)).json().map((e: Entry) => e.path)).toEqual([path])
  expect((await get(`${hub.url}/acme/odd/resolve/main/${encodeURIComponent(path)}`)).body.toString()).toBe('x')
  // A C1 CSI travels as one latin1 byte in a header value; undici hands it over as U+009B.
  hub.inject({ origin: 'hub', kind: 'status', status: 500, headers: { 'X-Error-Message': 'a\u009b2Jb' } })
  expect((await get(`${hub.url}/api/models/acme/odd`)).headers['x-error-message']).toBe('a\u009b2Jb')
})

describe('behind HTTP Basic auth, as a mirror', () => {
  test.scoped({ hubOptions: { basicAuth: { user: 'user', password: 's3cret' } } })

  test('the hub origin wants the credentials and answers as a proxy would; the CDN does not ask', async ({ hub }) => {
    hub.addRepo('acme/walled', { 'big.bin': { content: bytes(9, 20 * KiB), lfs: true } })
    const url = `${hub.url}/api/models/acme/walled/revision/main`
    const none = await get(url)
    expect(none.status).toBe(401)
    expect(none.headers['www-authenticate']).toBe('Basic realm="mirror"')
    expect(none.headers['x-error-code']).toBeUndefined()
    expect((await get(url, { authorization: `Basic ${Buffer.from('user:wrong').toString('base64')}` })).status).toBe(401)
    const auth = { authorization: `Basic ${Buffer.from('user:s3cret').toString('base64')}` }
    expect((await get(url, auth)).json().id).toBe('acme/walled')
    const redirect = await get(`${hub.url}/acme/walled/resolve/main/big.bin`, auth)
    expect(redirect.status).toBe(302)
    expect((await get(String(redirect.headers.location))).status).toBe(200)
  })
})

describe('with 2-entry tree pages', () => {
  test.scoped({ hubOptions: { pageSize: 2 } })
  test('tree paginates with absolute Link headers; recursive and directory listings', async ({ hub }) => {
    const repo = hub.addRepo('acme/many', { 'a.txt': 'a', 'b.txt': 'b', 'd/c.txt': 'c', 'd/e/f.bin': bytes(1, 20 * KiB) })
    const seen: Entry[] = []
    let url: string | undefined = `${hub.url}/api/models/acme/many/tree/main?recursive=true`
    let pages = 0
    while (url) {
      const res = await get(url)
      expect(res.status).toBe(200)
      const page = res.json() as Entry[]
      expect(page.length).toBeLessThanOrEqual(2)
      seen.push(...page)
      pages++
      url = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1]
      if (url) expect(url.startsWith(`${hub.url}/`)).toBe(true)
    }
    expect(pages).toBe(3)
    expect(seen.map((e) => e.path)).toEqual(['a.txt', 'b.txt', 'd', 'd/c.txt', 'd/e', 'd/e/f.bin'])
    const f = repo.file('d/e/f.bin')
    expect(seen.at(-1)).toEqual({
      type: 'file', path: 'd/e/f.bin', size: 20 * KiB, oid: f.oid,
      lfs: { oid: sha256(f.content), size: 20 * KiB, pointerSize: `version https://git-lfs.github.com/spec/v1\noid sha256:${f.sha256}\nsize 20480\n`.length },
    })
    expect(seen[0]).toEqual({ type: 'file', path: 'a.txt', size: 1, oid: gitSha1('a') })

    const d = (await get(`${hub.url}/api/models/acme/many/tree/main/d`)).json()
    expect(d.map((e: Entry) => [e.type, e.path])).toEqual([['file', 'd/c.txt'], ['directory', 'd/e']])
    const nope = await get(`${hub.url}/api/models/acme/many/tree/main/nope`)
    expect([nope.status, nope.headers['x-error-code']]).toEqual([404, 'EntryNotFound'])

    const info = await get(`${hub.url}/api/models/acme/many/paths-info/main`, { 'content-type': 'application/x-www-form-urlencoded' }, 'POST', 'paths=d&paths=a.txt&paths=missing')
    expect(info.json().map((e: Entry) => e.path)).toEqual(['d', 'a.txt'])
    const size = (await get(`${hub.url}/api/models/acme/many/treesize/main`)).json()
    expect(size.size).toBe(3 + 20 * KiB)

    // Python's requests spells a bool parameter `True` (huggingface_hub 0.x's list_repo_tree).
    const pyBool: string[] = []
    for (let next: string | undefined = `${hub.url}/api/models/acme/many/tree/main?recursive=True&expand=False`; next; ) {
      const res = await get(next)
      pyBool.push(...res.json().map((e: Entry) => e.path))
      next = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1]
    }
    expect(pyBool).toEqual(seen.map((e) => e.path))

    repo.rawTreeOverride = [{ type: 'file', path: '../evil', oid: 'x', size: 1 }]
    expect((await get(`${hub.url}/api/models/acme/many/tree/main?recursive=1`)).json()).toEqual(repo.rawTreeOverride)
  })
})

test('resolve serves a regular file with ETag, X-Repo-Commit and Range', async ({ hub }) => {
  const content = bytes(7, 4 * KiB)
  const repo = hub.addRepo('acme/small', { 'dir/a b.json': content })
  const url = `${hub.url}/acme/small/resolve/main/dir/a%20b.json`
  const head = await get(url, {}, 'HEAD')
  expect(head.status).toBe(200)
  expect(head.headers).toMatchObject({
    etag: `"${gitSha1(content)}"`, 'x-repo-commit': repo.head, 'content-length': String(4 * KiB),
    'accept-ranges': 'bytes', 'content-type': 'application/octet-stream',
  })
  expect(head.body.length).toBe(0)
  const full = await get(url)
  expect(full.body.equals(content)).toBe(true)
  const part = await get(url, { range: 'bytes=100-199' })
  expect(part.status).toBe(206)
  expect(part.headers['content-range']).toBe(`bytes 100-199/${4 * KiB}`)
  expect(part.body.equals(content.subarray(100, 200))).toBe(true)
  expect((await get(url, { range: `bytes=${4 * KiB}-` })).status).toBe(416)
  expect(hub.bytesServed('dir/a b.json')).toBe(4 * KiB + 100)
  expect((await get(`${hub.url}/acme/small/raw/main/dir/a%20b.json`)).body.equals(content)).toBe(true)
  const missing = await get(`${hub.url}/acme/small/resolve/main/nope.txt`)
  expect(missing.headers).toMatchObject({ 'x-error-code': 'EntryNotFound', 'x-repo-commit': repo.head })
})

test('LFS resolve redirects to a signed CDN URL that serves Range; raw shows the pointer', async ({ hub }) => {
  const content = bytes(9, 1 * MiB)
  const repo = hub.addRepo('acme/big', { 'model.safetensors': content })
  hub.addToken('hf_ok')
  const redirect = await get(`${hub.url}/acme/big/resolve/main/model.safetensors`, { authorization: 'Bearer hf_ok' })
  expect(redirect.status).toBe(302)
  expect(redirect.headers).toMatchObject({
    'x-linked-etag': `"${sha256(content)}"`, 'x-linked-size': String(MiB), etag: `"${sha256(content)}"`,
    'x-repo-commit': repo.head, 'content-length': '0',
  })
  const location = String(redirect.headers.location)
  expect(location.startsWith(`${hub.cdnUrl}/repos/models/acme/big/${sha256(content)}?`)).toBe(true)

  const part = await get(location, { range: 'bytes=1000-' })
  expect(part.status).toBe(206)
  expect(part.headers['content-range']).toBe(`bytes 1000-${MiB - 1}/${MiB}`)
  expect(part.headers.etag).toBe(`"${sha256(content)}"`)
  expect(part.body.equals(content.subarray(1000))).toBe(true)
  expect(hub.bytesServed('model.safetensors', 'acme/big')).toBe(MiB - 1000)
  const cdnLog = hub.requests.filter((r) => r.origin === 'cdn')
  expect(cdnLog).toMatchObject([{ status: 206, range: 'bytes=1000-', filePath: 'model.safetensors', repoId: 'acme/big' }])
  expect(cdnLog[0]!.headers.authorization).toBeUndefined()

  const tampered = await get(location.replace(/sig=[0-9a-f]/, 'sig=g'))
  expect(tampered.status).toBe(403)
  const raw = await get(`${hub.url}/acme/big/raw/main/model.safetensors`)
  expect(raw.body.toString()).toBe(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(content)}\nsize ${MiB}\n`)
})

describe('with the CDN on another host name', () => {
  test.scoped({ hubOptions: { cdnHost: 'localhost' } })
  test('LFS redirects name that host, and it serves the blob', async ({ hub }) => {
    const content = bytes(10, 100 * KiB)
    hub.addRepo('acme/elsewhere', { 'w.safetensors': content })
    expect(new URL(hub.cdnUrl).hostname).toBe('localhost')
    const redirect = await get(`${hub.url}/acme/elsewhere/resolve/main/w.safetensors`)
    const location = new URL(String(redirect.headers.location))
    expect([location.hostname, location.port]).toEqual(['localhost', new URL(hub.cdnUrl).port])
    expect((await get(location.href)).body.equals(content)).toBe(true)
  })
})

// The CA is handed to the client (here undici's `connect.ca`; hfx gets NODE_EXTRA_CA_CERTS), never a switch
// that turns checking off: the chain and the names are verified as against the real CDN.
async function getTrusting(ca: Buffer | undefined, url: string, headers: Record<string, string> = {}) {
  const dispatcher = new Agent({ connect: ca ? { ca } : {} })
  try {
    const res = await request(url, { headers, dispatcher })
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) }
  } finally {
    await dispatcher.destroy()
  }
}

describe('over TLS with a throwaway CA', () => {
  test('CDN only: the hub stays HTTP and redirects to an HTTPS CDN the CA vouches for, as 127.0.0.1 and localhost', async () => {
    for (const cdnHost of ['127.0.0.1', 'localhost']) {
      const hub = await startHub({ tls: 'cdn', cdnHost })
      try {
        const content = bytes(12, 200 * KiB)
        hub.addRepo('acme/tls', { 'model.safetensors': content })
        expect(hub.url.startsWith('http://127.0.0.1:')).toBe(true)
        expect(hub.cdnUrl.startsWith(`https://${cdnHost}:`)).toBe(true)
        const ca = await readFile(hub.caFile!)
        const location = String((await get(`${hub.url}/acme/tls/resolve/main/model.safetensors`)).headers.location)
        expect(location.startsWith(hub.cdnUrl)).toBe(true)
        const part = await getTrusting(ca, location, { range: 'bytes=100-' })
        expect(part.status).toBe(206)
        expect(part.body.equals(content.subarray(100))).toBe(true)
        await expect(getTrusting(undefined, location)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
      } finally {
        await hub.close()
      }
    }
  })

  test('both origins: the API is HTTPS too; close() deletes the CA', async () => {
    const hub = await startHub({ tls: 'both' })
    const caFile = hub.caFile!
    try {
      hub.addRepo('acme/tls', { 'config.json': '{"a":1}' })
      expect(hub.url.startsWith('https://127.0.0.1:')).toBe(true)
      const info = await getTrusting(await readFile(caFile), `${hub.url}/api/models/acme/tls`)
      expect(JSON.parse(info.body.toString())).toMatchObject({ id: 'acme/tls' })
      expect(hub.requests.map((r) => [r.origin, r.path])).toEqual([['hub', '/api/models/acme/tls']])
    } finally {
      await hub.close()
    }
    await expect(stat(caFile)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('with 1 ms URLs, as a mirror', () => {
  test.scoped({ hubOptions: { urlTtlMs: 1, mirror: true } })
  test('signed URLs expire; mirror mode drops the linked headers', async ({ hub }) => {
    hub.addRepo('acme/big', { 'w.bin': bytes(1, 20 * KiB) })
    const redirect = await get(`${hub.url}/acme/big/resolve/main/w.bin`, {}, 'HEAD')
    expect(redirect.status).toBe(302)
    expect(redirect.headers['x-linked-etag']).toBeUndefined()
    expect(redirect.headers['x-linked-size']).toBeUndefined()
    expect(redirect.headers.etag).toBeUndefined()
    await new Promise((r) => setTimeout(r, 5))
    const expired = await get(String(redirect.headers.location))
    expect(expired.status).toBe(403)
    expect(expired.body.toString()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>')
  })
})

test('repo errors: missing, private, bad token, disabled', async ({ hub }) => {
  hub.addRepo('acme/secret', { 'a.txt': 'a' }, { private: true })
  hub.addRepo('acme/off', { 'a.txt': 'a' }, { disabled: true })
  hub.addToken('hf_plain')
  hub.addToken('hf_reader', { repos: ['acme/secret'] })
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

  for (const id of ['acme/missing', 'acme/secret']) {
    const anon = await get(`${hub.url}/api/models/${id}`)
    expect([anon.status, anon.headers['x-error-code']]).toEqual([401, 'RepoNotFound'])
    expect(anon.json()).toEqual({ error: anon.headers['x-error-message'] })
    const withToken = await get(`${hub.url}/${id}/resolve/main/a.txt`, bearer('hf_plain'))
    expect([withToken.status, withToken.headers['x-error-code']]).toEqual([404, 'RepoNotFound'])
  }
  expect((await get(`${hub.url}/acme/secret/resolve/main/a.txt`, bearer('hf_reader'))).body.toString()).toBe('a')

  const bad = await get(`${hub.url}/api/models/acme/off`, bearer('hf_nope'))
  expect(bad.status).toBe(401)
  expect(bad.headers['x-error-message']).toBe('Invalid credentials in Authorization header')
  expect(bad.headers['x-error-code']).toBeUndefined()

  for (const path of ['/api/models/acme/off', '/acme/off/resolve/main/a.txt', '/api/models/acme/off/tree/main']) {
    const off = await get(hub.url + path)
    expect([off.status, off.headers['x-error-message']]).toEqual([403, 'Access to this resource is disabled.'])
  }
})

test('gated repos: info for everyone, files need a granted token', async ({ hub }) => {
  hub.addRepo('acme/gated', { 'a.txt': 'a' }, { gated: 'manual' })
  hub.addToken('hf_plain')
  hub.addToken('hf_accepted', { gated: ['acme/gated'] })
  expect((await get(`${hub.url}/api/models/acme/gated`)).json().gated).toBe('manual')
  expect((await get(`${hub.url}/api/models/acme/gated/tree/main`)).status).toBe(200)
  const url = `${hub.url}/acme/gated/resolve/main/a.txt`
  const anon = await get(url)
  expect([anon.status, anon.headers['x-error-code']]).toEqual([401, 'GatedRepo'])
  const denied = await get(url, { authorization: 'Bearer hf_plain' })
  expect([denied.status, denied.headers['x-error-code']]).toEqual([403, 'GatedRepo'])
  expect(denied.headers['x-error-message']).toContain(`${hub.url}/acme/gated`)
  expect((await get(url, { authorization: 'Bearer hf_accepted' })).body.toString()).toBe('a')
})

test('reset delivers afterBytes, then the connection dies; the next request succeeds', async ({ hub }) => {
  const content = bytes(2, 2 * MiB)
  hub.addRepo('acme/big', { 'w.bin': content })
  const location = String((await get(`${hub.url}/acme/big/resolve/main/w.bin`)).headers.location)
  hub.inject({ kind: 'reset', afterBytes: 256 * KiB })
  const { received, error } = await readAll(await fetch(location))
  expect(received).toBe(256 * KiB)
  expect(String((error as { cause?: { code?: string } } | undefined)?.cause?.code)).toBe('ECONNRESET')
  expect(hub.bytesServed('w.bin')).toBe(256 * KiB)
  expect((await get(location)).body.equals(content)).toBe(true)
})

test.for(['reset', 'truncate'] as const)('a cut (%s) stops an API answer after afterBytes, only where pathIncludes says', async (how, { hub }) => {
  hub.addRepo('acme/cut', { 'a.txt': 'a' })
  hub.inject({ origin: 'hub', kind: 'cut', how, afterBytes: 5, pathIncludes: '/api/models/', times: 1 })
  const res = await fetch(`${hub.url}/api/models/acme/cut/revision/main`)
  expect(res.status).toBe(200)
  const { received, error } = await readAll(res)
  expect(received).toBe(5)
  expect(error).toBeDefined()
  // Used up: the next answer is whole.
  expect(JSON.parse((await get(`${hub.url}/api/models/acme/cut/revision/main`)).body.toString()).id).toBe('acme/cut')
})

test('truncate ends cleanly short of Content-Length', async ({ hub }) => {
  const content = bytes(3, 64 * KiB)
  hub.addRepo('acme/t', { 'w.bin': { content, lfs: false } })
  hub.inject({ kind: 'truncate', afterBytes: 1000, filePath: 'w.bin' })
  const res = await fetch(`${hub.url}/acme/t/resolve/main/w.bin`)
  expect(res.headers.get('content-length')).toBe(String(64 * KiB))
  const { received, error } = await readAll(res)
  expect(error).toBeDefined()
  expect(received).toBe(1000)
})

test('corrupt flips a byte only in responses covering it; ignoreRange answers 200', async ({ hub }) => {
  const content = bytes(4, 100 * KiB)
  hub.addRepo('acme/c', { 'w.bin': content })
  const location = String((await get(`${hub.url}/acme/c/resolve/main/w.bin`)).headers.location)
  hub.inject({ kind: 'corrupt', offset: 50 * KiB })
  expect((await get(location, { range: 'bytes=0-1023' })).body.equals(content.subarray(0, 1024))).toBe(true)
  const bad = await get(location)
  expect(sha256(bad.body)).not.toBe(sha256(content))
  expect(bad.body[50 * KiB]).toBe(content[50 * KiB]! ^ 0xff)
  expect(sha256((await get(location)).body)).toBe(sha256(content))

  hub.inject({ kind: 'ignoreRange', origin: 'cdn' })
  const whole = await get(location, { range: 'bytes=10-20' })
  expect(whole.status).toBe(200)
  expect(whole.body.length).toBe(100 * KiB)
})

test('rangeStart limits a fault to the requests whose body starts at that byte', async ({ hub }) => {
  const content = bytes(11, 64 * KiB)
  hub.addRepo('acme/r', { 'w.bin': content })
  const location = String((await get(`${hub.url}/acme/r/resolve/main/w.bin`)).headers.location)
  hub.inject({ kind: 'status', status: 503, filePath: 'w.bin', rangeStart: 16 * KiB, times: Infinity })
  expect((await get(location, { range: 'bytes=0-16383' })).status).toBe(206)
  expect((await get(location, { range: 'bytes=16384-32767' })).status).toBe(503)
  expect((await get(location, { range: 'bytes=16384-' })).status).toBe(503)
  expect((await get(location, { range: 'bytes=32768-' })).status).toBe(206)
  expect((await get(location)).status).toBe(200)
})

test('status faults: any hub route without filePath, only that file with one; expire on the CDN', async ({ hub }) => {
  hub.addRepo('acme/s', { 'a.txt': 'a', 'w.bin': bytes(5, 20 * KiB) })
  hub.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '0', RateLimit: '"resolvers";r=0;t=0' } })
  const limited = await get(`${hub.url}/api/models/acme/s`)
  expect([limited.status, limited.headers['retry-after'], limited.headers.ratelimit]).toEqual([429, '0', '"resolvers";r=0;t=0'])
  expect((await get(`${hub.url}/api/models/acme/s`)).status).toBe(200)

  hub.inject({ kind: 'status', status: 503, filePath: 'w.bin', times: 2 })
  expect((await get(`${hub.url}/acme/s/resolve/main/a.txt`)).status).toBe(200)
  const redirect = await get(`${hub.url}/acme/s/resolve/main/w.bin`) // LFS: the bytes come from the CDN
  expect(redirect.status).toBe(302)
  const location = String(redirect.headers.location)
  expect((await get(location)).status).toBe(503)
  expect((await get(location)).status).toBe(503)
  expect((await get(location)).status).toBe(200)

  hub.inject({ kind: 'expire' })
  const expired = await get(location)
  expect(expired.status).toBe(403)
  expect(expired.body.toString()).toContain('AccessDenied')
})

test('throttle applies latency and caps the rate', async ({ hub }) => {
  hub.addRepo('acme/t', { 'a.txt': 'a', 'w.bin': { content: bytes(6, 64 * KiB), lfs: false } })
  hub.throttle({ latencyMs: 150 })
  let started = performance.now()
  expect((await get(`${hub.url}/acme/t/resolve/main/a.txt`)).status).toBe(200)
  expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  // 64 KiB at 256 KiB/s: at least ~200 ms (lower bounds only, so a slow machine cannot fail it).
  hub.throttle({ perConnectionBytesPerSec: 256 * KiB })
  started = performance.now()
  expect((await get(`${hub.url}/acme/t/resolve/main/w.bin`)).body.length).toBe(64 * KiB)
  expect(performance.now() - started).toBeGreaterThanOrEqual(180)
  hub.throttle({})
})

test('close() returns while a stall holds a response open', async () => {
  const hub = await startHub()
  hub.addRepo('acme/s', { 'w.bin': bytes(8, 1 * MiB) })
  const location = String((await get(`${hub.url}/acme/s/resolve/main/w.bin`)).headers.location)
  hub.inject({ kind: 'stall', afterBytes: 64 * KiB })
  const res = await fetch(location)
  const reader = res.body!.getReader()
  let received = 0
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      received += value.length
    }
  })()
  while (received < 64 * KiB) await new Promise((r) => setTimeout(r, 5))
  await new Promise((r) => setTimeout(r, 50))
  expect(received).toBe(64 * KiB)
  await hub.close()
  await expect(reading).rejects.toThrow()
})
