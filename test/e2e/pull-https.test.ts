// The real CDN is HTTPS: pulls over the emulator's TLS origins (a throwaway CA, trusted the way a user would
// trust a private one: NODE_EXTRA_CA_CERTS), and what happens when hfx is not told to trust it.
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { collect, describe, expect, fixturesWith, RECEIVE_MODES, type Fixtures } from '../helpers/test.js'
import { until } from '../helpers/until.js'

const MiB = 1024 * 1024
const CHUNKS = ['--chunk-size', '1M', '--connections', '4']

function snapshotFile(cache: string, id: string, commit: string, file: string): string {
  return path.join(repoDir(cache, id), 'snapshots', commit, file)
}

/** hfx told to trust the emulator's CA, as a user trusts a private one. */
const trusting = ({ hub, hfx }: Pick<Fixtures, 'hub' | 'hfx'>, env: Record<string, string> = {}) =>
  hfx.with({ env: { NODE_EXTRA_CA_CERTS: hub.caFile, ...env } })

// TLS on the CDN received on the main thread, TLS on both origins on receive threads.
describe.for([
  ['cdn', ...RECEIVE_MODES[0]],
  ['both', ...RECEIVE_MODES[1]],
] as const)('over HTTPS (%s), receiving %s', ([tls, , env]) => {
  const test = fixturesWith({ tls }, { env })

  test('an LFS file arrives over several Range connections, verified and published', async ({ hub, home, hfx }) => {
    expect(hub.cdnUrl).toMatch(/^https:/)
    expect(hub.url).toMatch(tls === 'both' ? /^https:/ : /^http:/)
    const repo = hub.addRepo('acme/tls', { 'model.safetensors': bytes(41, 6 * MiB), 'config.json': '{"a":1}' })
    const run = await trusting({ hub, hfx })('pull', 'acme/tls', ...CHUNKS)
    expect(run.code, run.stderr).toBe(0)
    for (const file of ['model.safetensors', 'config.json']) {
      expect(await sha256File(snapshotFile(home.cache, 'acme/tls', repo.head, file))).toBe(repo.sha256(file))
    }
    const cdn = hub.requests.filter((r) => r.origin === 'cdn')
    expect(cdn).toHaveLength(6) // one per 1 MiB chunk
    expect(cdn.every((r) => r.status === 206 && /^bytes=\d+-\d+$/.test(r.range ?? ''))).toBe(true)
    expect(cdn.every((r) => r.tls?.startsWith('TLSv1.'))).toBe(true)
    for (const r of hub.requests.filter((r) => r.origin === 'hub')) expect(r.tls !== undefined).toBe(tls === 'both')
    expect(hub.bytesServed('model.safetensors')).toBe(6 * MiB)
  })

  test('the token goes to the hub only, never to the CDN host', async ({ hub, hfx }) => {
    hub.addRepo('acme/private', { 'model.safetensors': bytes(42, 3 * MiB), 'config.json': '{}' }, { private: true })
    hub.addToken('hf_tls_secret', { repos: ['acme/private'] })
    const run = await trusting({ hub, hfx }, { HF_TOKEN: 'hf_tls_secret' })('pull', 'acme/private', ...CHUNKS)
    expect(run.code, run.stderr).toBe(0)
    const cdn = hub.requests.filter((r) => r.origin === 'cdn')
    expect(cdn.length).toBeGreaterThan(0)
    for (const r of cdn) expect(r.headers.authorization).toBeUndefined()
    for (const r of hub.requests.filter((r) => r.origin === 'hub')) expect(r.headers.authorization).toBe('Bearer hf_tls_secret')
    expect(run.stdout + run.stderr).not.toContain('hf_tls_secret')
  })

  test('a certificate hfx does not trust: one error line that says so, exit 11, a hint, nothing published', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/untrusted', { 'model.safetensors': bytes(43, 2 * MiB) })
    const run = await hfx('pull', 'acme/untrusted', ...CHUNKS)
    expect(run.code, run.stderr).toBe(11)
    const origin = tls === 'both' ? hub.url : hub.cdnUrl
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '))
    expect(errors).toEqual([`error: the TLS certificate of ${origin} is not trusted: it is signed by a certificate authority this machine does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE).`])
    expect(run.stderr).toMatch(/^hint: .*set NODE_EXTRA_CA_CERTS to its PEM file/m)
    expect(run.stderr).not.toMatch(/retrying|bug in hfx/)
    // Not retried: the same certificate would come back. The CDN never saw a request (the handshake failed).
    expect(hub.requests.filter((r) => r.origin === 'cdn')).toEqual([])
    const snapshots = await readdir(path.join(repoDir(home.cache, 'acme/untrusted'), 'snapshots')).catch(() => [])
    for (const commit of snapshots) expect(await readdir(path.join(repoDir(home.cache, 'acme/untrusted'), 'snapshots', commit))).toEqual([])
  })
})

describe.for(RECEIVE_MODES)('resume over HTTPS, receiving %s', ([, env]) => {
  const test = fixturesWith({ tls: 'both' }, { env })

  test('SIGKILL in the middle of a file: the re-run fetches only the missing part', async ({ hub, home, hfx }) => {
    const SIZE = 16 * MiB
    const CONNECTIONS = 4
    const repo = hub.addRepo('acme/tls-resume', { 'model.safetensors': bytes(44, SIZE) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const args = ['pull', 'acme/tls-resume', '--chunk-size', '1M', '--connections', String(CONNECTIONS)]
    const env = { NODE_EXTRA_CA_CERTS: hub.caFile }
    const child = hfx.spawn(args, { env })
    const done = collect(child)
    // Only what the sidecar recorded survives a hard kill (it starts empty, then is flushed every second):
    // wait until it names some bytes rather than race its first flush.
    const blobs = path.join(repoDir(home.cache, 'acme/tls-resume'), 'blobs')
    await until('progress recorded in a sidecar', async () => {
      const sidecar = (await readdir(blobs).catch(() => [])).find((n) => n.endsWith('.partial.parts'))
      const record = sidecar && (await readFile(path.join(blobs, sidecar), 'utf8').catch(() => ''))
      return !!record && (JSON.parse(record) as { done: unknown[] }).done.length > 0
    })
    child.kill('SIGKILL')
    expect((await done).signal).toBe('SIGKILL')
    const servedBefore = hub.bytesServed('model.safetensors')
    expect(servedBefore).toBeLessThan(SIZE)

    hub.throttle({})
    hub.resetLog()
    const second = await hfx.with({ env })(...args)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).toMatch(/resuming model\.safetensors at/)
    // The missing part, plus at most one chunk per connection in flight and what sat in socket buffers.
    expect(servedBefore + hub.bytesServed('model.safetensors')).toBeLessThanOrEqual(SIZE + CONNECTIONS * (MiB + 512 * 1024))
    expect(hub.requests.filter((r) => r.origin === 'cdn').every((r) => r.range !== undefined)).toBe(true)
    expect(await sha256File(snapshotFile(home.cache, 'acme/tls-resume', repo.head, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })
})
