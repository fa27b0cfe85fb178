// The faults a long pull meets, injected by the emulator; each must end with the right bytes in place,
// without re-downloading what already arrived, and without a byte of unverified data visible.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { hfxPartials, listFiles, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect, fixturesWith, RECEIVE_MODES } from '../helpers/test.js'

const MiB = 1024 * 1024
const SIZE = 4 * MiB
const CHUNK = ['--chunk-size', '1M', '--connections', '2']

function snapshotFile(cache: string, id: string, commit: string, file: string): string {
  return path.join(repoDir(cache, id), 'snapshots', commit, file)
}

describe.for(RECEIVE_MODES)('hfx pull survives faults, receiving %s', ([, env]) => {
  const test = fixturesWith({}, { env })

  test('a connection reset mid-body resumes from where it stopped', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/reset', { 'model.safetensors': bytes(1, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'reset', afterBytes: 600 * 1024 })
    const run = await hfx('pull', 'acme/reset', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/reset', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    // Resumed, not restarted: every byte served once, but for what the reset caught in socket buffers (written
    // by the server, never read by hfx); a restart would cost the 600 KiB before the reset again.
    expect(hub.bytesServed('model.safetensors')).toBeGreaterThanOrEqual(SIZE)
    expect(hub.bytesServed('model.safetensors')).toBeLessThan(SIZE + 256 * 1024)
    expect(run.stderr).toMatch(/warning: model\.safetensors: .*retrying/)
  })

  test('a truncated body is completed by a ranged retry', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/trunc', { 'model.safetensors': bytes(2, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'truncate', afterBytes: 300 * 1024, times: 2 })
    const run = await hfx('pull', 'acme/trunc', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/trunc', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE)
  })

  test('a stalled connection is abandoned after HF_HUB_DOWNLOAD_TIMEOUT and resumed', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/stall', { 'model.safetensors': bytes(3, SIZE), 'other.safetensors': bytes(4, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'stall', afterBytes: 200 * 1024 })
    const run = await hfx('pull', 'acme/stall', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/stall', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(hub.bytesServed('model.safetensors')).toBeLessThanOrEqual(SIZE + 200 * 1024)
    expect(hub.bytesServed('other.safetensors')).toBe(SIZE) // the stall did not hold the other file back
  })

  test('a corrupt byte is caught by sha256, the bytes are discarded and the file fetched again', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/corrupt', { 'model.safetensors': bytes(5, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'corrupt', offset: 3 * MiB + 17 })
    const run = await hfx('pull', 'acme/corrupt', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('sha256 mismatch, downloading it again')
    expect(await sha256File(snapshotFile(home.cache, 'acme/corrupt', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(hub.bytesServed('model.safetensors')).toBe(2 * SIZE)
  })

  test.for([
    ['on worker threads', undefined],
    ['on the main thread (HFX_HASH_THREADS=0)', '0'],
  ] as const)('large files hashed at the same time %s each get their own verdict', async ([, threads], { hub, home, hfx }) => {
    const names = ['a', 'b', 'c', 'd'].map((n) => `model-${n}.safetensors`)
    const repo = hub.addRepo('acme/many', Object.fromEntries(names.map((n, i) => [n, bytes(40 + i, SIZE)])))
    hub.inject({ filePath: names[2]!, kind: 'corrupt', offset: 2 * MiB + 5 })
    const run = await hfx.with({ env: { HFX_HASH_THREADS: threads } })('pull', 'acme/many', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`${names[2]}: sha256 mismatch, downloading it again`)
    for (const n of names) {
      expect(await sha256File(snapshotFile(home.cache, 'acme/many', repo.head, n))).toBe(repo.sha256(n))
      expect(hub.bytesServed(n)).toBe(n === names[2] ? 2 * SIZE : SIZE)
    }
  })

  test('a non-LFS file is checked by its git blob sha1', async ({ hub, hfx }) => {
    const text = 'x'.repeat(5000)
    const repo = hub.addRepo('acme/gitsha', { 'vocab.txt': text })
    hub.inject({ filePath: 'vocab.txt', kind: 'corrupt', offset: 10, times: Infinity })
    const run = await hfx('pull', 'acme/gitsha')
    expect(run.code).toBe(6)
    expect(run.stderr).toContain(`error: vocab.txt failed its git-sha1 check (expected ${repo.gitSha1('vocab.txt')}`)
  })

  test('bytes that never match fail with an integrity error and leave nothing visible', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/bad', { 'model.safetensors': bytes(6, SIZE), 'ok.json': '{}' })
    hub.inject({ filePath: 'model.safetensors', kind: 'corrupt', offset: 5, times: Infinity })
    const run = await hfx('pull', 'acme/bad', ...CHUNK)
    expect(run.code).toBe(6)
    expect(run.stderr).toContain(`error: model.safetensors failed its sha256 check (expected ${repo.sha256('model.safetensors')}`)
    expect(run.stdout).toBe('')
    const dir = repoDir(home.cache, 'acme/bad')
    // The good file is in place; the bad one has no blob, no symlink, and no ref points at the commit.
    const files = await listFiles(dir)
    expect(files).toContain(`snapshots/${repo.head}/ok.json`)
    expect(files).not.toContain(`snapshots/${repo.head}/model.safetensors`)
    expect(files).not.toContain(`blobs/${repo.sha256('model.safetensors')}`)
    expect(files).not.toContain('refs/main')
  })

  test.for([500, 502, 503])('HTTP %i from the CDN is retried', async (status, { hub, home, hfx }) => {
    const repo = hub.addRepo('acme/5xx', { 'model.safetensors': bytes(7, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'status', status, times: 2 })
    const run = await hfx('pull', 'acme/5xx', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/5xx', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(run.stderr).toContain(`HTTP ${status}`)
  })

  test('429 with RateLimit or Retry-After waits as told and says so', async ({ hub, hfx }) => {
    hub.addRepo('acme/rl', { 'a.json': '{}', 'b.json': '[]' })
    hub.inject({ filePath: 'a.json', kind: 'status', status: 429, headers: { RateLimit: '"resolvers";r=0;t=0' } })
    hub.inject({ filePath: 'b.json', kind: 'status', status: 429, headers: { 'Retry-After': '1' } })
    const run = await hfx('pull', 'acme/rl')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/warning: a\.json: rate limited by the Hub, retrying in 1\.0s/)
    expect(run.stderr).toMatch(/warning: b\.json: rate limited by the Hub, retrying in 1\.0s/)
  })

  test('a server that ignores Range: the file restarts from zero, never appended', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/norange', { 'model.safetensors': bytes(8, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'ignoreRange', times: Infinity })
    const run = await hfx('pull', 'acme/norange', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/norange', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('an expired CDN URL is resolved again and the download continues', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/expire', { 'model.safetensors': bytes(9, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'expire', times: 2 })
    const run = await hfx('pull', 'acme/expire', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/expire', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    const resolves = hub.requests.filter((r) => r.origin === 'hub' && r.path.includes('/resolve/'))
    expect(resolves.length).toBeGreaterThanOrEqual(2)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE)
  })

  test('Range requests go to the CDN, and the token never does', async ({ hub, hfx }) => {
    hub.addRepo('acme/auth', { 'model.safetensors': bytes(10, SIZE), 'config.json': '{}' }, { private: true })
    hub.addToken('hf_secret_token', { repos: ['acme/auth'] })
    const run = await hfx.with({ env: { HF_TOKEN: 'hf_secret_token' } })('pull', 'acme/auth', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    const cdn = hub.requests.filter((r) => r.origin === 'cdn')
    expect(cdn.length).toBe(4) // one per 1 MiB chunk
    for (const r of cdn) {
      expect(r.headers.authorization).toBeUndefined()
      expect(r.range).toMatch(/^bytes=\d+-\d+$/)
    }
    // Only one resolve for the LFS file: chunks do not go back through /resolve/ (rate-limited per request).
    expect(hub.requests.filter((r) => r.origin === 'hub' && r.path.includes('/resolve/') && r.path.endsWith('model.safetensors'))).toHaveLength(1)
    for (const r of hub.requests.filter((r) => r.origin === 'hub')) expect(r.headers.authorization).toBe('Bearer hf_secret_token')
    for (const r of hub.requests) {
      expect(r.headers['user-agent']).toMatch(/^hfx\/\d+\.\d+\.\d+/)
      if (r.path.includes('/resolve/') || r.origin === 'cdn') expect(r.headers['accept-encoding']).toBe('identity')
    }
    expect(run.stdout + run.stderr).not.toContain('hf_secret_token')
    // Every GET of file bytes is ranged.
    for (const r of hub.requests.filter((r) => r.method === 'GET' && (r.origin === 'cdn' || r.path.includes('/resolve/')))) expect(r.range).toBeDefined()
  })

  test('after a failure the partial stays as hfx’s own partial in blobs/ and the next run fetches only the rest', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/keep', { 'model.safetensors': bytes(11, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'reset', afterBytes: 100 * 1024 })
    hub.inject({ filePath: 'model.safetensors', kind: 'status', status: 404, times: Infinity, body: 'gone' })
    const run = await hfx('pull', 'acme/keep', '--chunk-size', '1M', '--connections', '1')
    expect(run.code).toBe(5) // a 404 from the CDN is the server's fault, not a missing repo file
    expect(run.stderr).toContain('error: unexpected answer 404 from')
    const blobs = await readdir(path.join(repoDir(home.cache, 'acme/keep'), 'blobs'))
    expect(await hfxPartials(path.join(repoDir(home.cache, 'acme/keep'), 'blobs'), repo.sha256('model.safetensors'))).toHaveLength(1)
    expect(blobs).not.toContain(repo.sha256('model.safetensors'))
    // Never under huggingface_hub's name, which its 0.x versions would resume as a prefix.
    expect(blobs).not.toContain(`${repo.sha256('model.safetensors')}.incomplete`)

    hub.clearFaults()
    hub.resetLog()
    const again = await hfx('pull', 'acme/keep', '--chunk-size', '1M', '--connections', '1')
    expect(again.code, again.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE - 100 * 1024)
    expect(await sha256File(snapshotFile(home.cache, 'acme/keep', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })
})
