// hfx pull --mirror: a second emulator plays the mirror. Revision, listing and hashes come from the Hub
// (the first emulator); file bytes from the mirror, and from the Hub only for a file the mirror failed.
// Both emulators count the bytes they served, so each test shows where every byte came from.
import net from 'node:net'
import path from 'node:path'
import { startHub, type EmuRepo, type FileSpec, type Hub } from '../emulator/index.js'
import { startModelScope, type ModelScope } from '../emulator-modelscope/index.js'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { beforeEach } from 'vitest'
import { describe, expect, test, type Home, fixturesWith, RECEIVE_MODES } from '../helpers/test.js'

const MiB = 1024 * 1024

const FILES: Record<string, FileSpec> = {
  'config.json': '{"model_type":"llama"}',
  'a.safetensors': { content: bytes(1, 3 * MiB), lfs: true },
  'b.safetensors': { content: bytes(2, 2 * MiB), lfs: true },
  'c.bin': { content: bytes(3, 300_000), lfs: true },
}
const TOTAL = 3 * MiB + 2 * MiB + 300_000 + '{"model_type":"llama"}'.length

/** The same repo, at the same commit, on the Hub and on the mirror (the emulators number commits alike). */
function addBoth(hub: Hub, mirror: Hub, id: string, files: Record<string, FileSpec> = FILES): EmuRepo {
  const repo = hub.addRepo(id, files)
  expect(mirror.addRepo(id, files).head).toBe(repo.head)
  return repo
}

async function expectVerified(home: Home, repo: EmuRepo, id: string, files: string[]): Promise<void> {
  const snap = path.join(repoDir(home.cache, id), 'snapshots', repo.head)
  for (const f of files) expect(await sha256File(path.join(snap, f)), f).toBe(repo.sha256(f))
}

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const fileRequests = (h: Hub) => h.requests.filter((r) => r.filePath !== undefined && r.method === 'GET')

describe.for(RECEIVE_MODES)('hfx pull --mirror, receiving %s', ([, env]) => {
  const test = fixturesWith({}, { env })

  let mirror: Hub
  beforeEach(async () => {
    mirror = await startHub()
    return () => mirror.close()
  })

  test('bytes come from the mirror, metadata from the Hub, nothing from the Hub CDN', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m1')
    const run = await hfx('pull', 'acme/m1', '--mirror', mirror.url, '--chunk-size', '1M')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toContain('warning')
    await expectVerified(home, repo, 'acme/m1', Object.keys(FILES))
    expect(mirror.bytesServed()).toBe(TOTAL)
    expect(hub.bytesServed()).toBe(0)
    expect(hub.requests.filter((r) => r.origin === 'cdn')).toEqual([])
    // Revision and listing were asked of the Hub only.
    expect(hub.requests.some((r) => r.path.startsWith('/api/models/acme/m1'))).toBe(true)
    expect(mirror.requests.filter((r) => r.path.startsWith('/api/'))).toEqual([])
  })

  test('HFX_MIRRORS names the mirrors too', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m-env')
    const run = await hfx.with({ env: { HFX_MIRRORS: ` ${mirror.url}/ ,` } })('pull', 'acme/m-env')
    expect(run.code, run.stderr).toBe(0)
    await expectVerified(home, repo, 'acme/m-env', Object.keys(FILES))
    expect(mirror.bytesServed()).toBe(TOTAL)
    expect(hub.bytesServed()).toBe(0)
  })

  test('a file the mirror corrupts is fetched from the Hub, and the mirror is named', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m2')
    mirror.inject({ filePath: 'b.safetensors', kind: 'corrupt', offset: MiB + 5 })
    const run = await hfx('pull', 'acme/m2', '--mirror', mirror.url, '--chunk-size', '1M')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`b.safetensors: the mirror ${mirror.url} served bytes that do not match the Hub's sha256; fetching it from the Hub`)
    await expectVerified(home, repo, 'acme/m2', Object.keys(FILES))
    expect(hub.bytesServed('b.safetensors')).toBe(2 * MiB)
    expect(hub.bytesServed()).toBe(2 * MiB)
    expect(mirror.bytesServed('a.safetensors')).toBe(3 * MiB)
  })

  test('--json names the mirror in a retry event of kind "mirror"', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m3')
    mirror.inject({ filePath: 'c.bin', kind: 'corrupt', offset: 10 })
    const run = await hfx('pull', 'acme/m3', '--mirror', mirror.url, '--json')
    expect(run.code, run.stderr).toBe(0)
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l))
    const mirrorEvents = events.filter((e) => e.event === 'retry' && e.kind === 'mirror')
    expect(mirrorEvents).toEqual([expect.objectContaining({ path: 'c.bin', mirror: mirror.url })])
    expect(events.filter((e) => e.event === 'file_done')).toHaveLength(Object.keys(FILES).length)
    await expectVerified(home, repo, 'acme/m3', Object.keys(FILES))
    expect(hub.bytesServed()).toBe(300_000)
  })

  test('a mirror that is down: everything from the Hub, the mirror given up after three files', async ({ hub, home, hfx }) => {
    const many: Record<string, FileSpec> = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.bin`, { content: bytes(10 + i, 200_000), lfs: true }]))
    const repo = addBoth(hub, mirror, 'acme/m4', many)
    const down = `http://127.0.0.1:${await closedPort()}`
    // One file at a time, so that the health of the mirror is known before each file starts.
    const run = await hfx('pull', 'acme/m4', '--mirror', down, '-j', '1')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr.match(/the mirror http:\/\/127\.0\.0\.1:\d+ failed/g)).toHaveLength(3)
    await expectVerified(home, repo, 'acme/m4', Object.keys(many))
    // Every file once from the Hub's CDN: no retry waited out, no file fetched twice.
    expect(hub.bytesServed()).toBe(6 * 200_000)
    expect(fileRequests(hub).filter((r) => r.origin === 'cdn')).toHaveLength(6)
  })

  test('a slow mirror still serves the files', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m5')
    mirror.throttle({ perConnectionBytesPerSec: 4 * MiB })
    const run = await hfx('pull', 'acme/m5', '--mirror', mirror.url)
    expect(run.code, run.stderr).toBe(0)
    await expectVerified(home, repo, 'acme/m5', Object.keys(FILES))
    expect(mirror.bytesServed()).toBe(TOTAL)
    expect(hub.bytesServed()).toBe(0)
  })

  test('the Hub token never reaches the mirror', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m6')
    hub.addToken('hf_secret_for_the_hub')
    mirror.addToken('hf_secret_for_the_hub')
    const run = await hfx.with({ env: { HF_TOKEN: 'hf_secret_for_the_hub' } })('pull', 'acme/m6', '--mirror', mirror.url)
    expect(run.code, run.stderr).toBe(0)
    await expectVerified(home, repo, 'acme/m6', Object.keys(FILES))
    expect(mirror.requests.length).toBeGreaterThan(0)
    expect(mirror.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([])
    expect(hub.requests.filter((r) => r.origin === 'hub').every((r) => r.headers.authorization === 'Bearer hf_secret_for_the_hub')).toBe(true)
  })

  test("a mirror's own user:password@ is sent to it as Basic auth and never printed", async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m7')
    const withCreds = mirror.url.replace('http://', 'http://user:s3cret@')
    const run = await hfx('pull', 'acme/m7', '--mirror', withCreds)
    expect(run.code, run.stderr).toBe(0)
    // The emulator knows no such user: the mirror refuses, the Hub serves, and the warning shows the URL masked.
    expect(run.stderr).toContain(`the mirror ${mirror.url} failed: unexpected answer 401`)
    expect(run.stderr + run.stdout).not.toContain('s3cret')
    await expectVerified(home, repo, 'acme/m7', Object.keys(FILES))
    const basic = `Basic ${Buffer.from('user:s3cret').toString('base64')}`
    expect(mirror.requests.length).toBeGreaterThan(0)
    expect(mirror.requests.every((r) => r.headers.authorization === basic)).toBe(true)
  })

  test('pull --locked fetches from the mirror too, checked against the hashes the lock pins', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m8')
    expect((await hfx('lock', 'add', 'acme/m8')).code).toBe(0)
    mirror.inject({ filePath: 'c.bin', kind: 'corrupt', offset: 10 })
    hub.resetLog()
    const run = await hfx('pull', '--locked', '--mirror', mirror.url)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`c.bin: the mirror ${mirror.url} served bytes that do not match the Hub's sha256`)
    await expectVerified(home, repo, 'acme/m8', Object.keys(FILES))
    expect(hub.bytesServed()).toBe(300_000)
  })

  test('a mirror that fails part-way after serving a bad byte is named when the resumed file does not match', async ({ hub, home, hfx }) => {
    const repo = addBoth(hub, mirror, 'acme/m16')
    // The first range of c.bin arrives whole with one wrong byte; the second is cut: the Hub resumes from there.
    mirror.inject({ filePath: 'c.bin', kind: 'corrupt', offset: 10 })
    mirror.inject({ filePath: 'c.bin', kind: 'reset', afterBytes: 50_000, rangeStart: 128 * 1024 })
    const run = await hfx('pull', 'acme/m16', '--mirror', mirror.url, '--chunk-size', '128K', '--connections', '1')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`c.bin: sha256 mismatch (with bytes kept from ${mirror.url}, which failed part-way), downloading it again`)
    await expectVerified(home, repo, 'acme/m16', Object.keys(FILES))
  })

  test('--mirror with a ModelScope repo is refused before any request', async ({ hub, hfx }) => {
    const run = await hfx('pull', 'ms://acme/m9', '--mirror', mirror.url)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--mirror takes Hugging Face mirrors')
    expect(hub.requests).toEqual([])
    expect(mirror.requests).toEqual([])
  })
})

describe('ModelScope as a mirror (--mirror ms://)', () => {
  let ms: ModelScope
  beforeEach(async () => {
    ms = await startModelScope()
    return () => ms.close()
  })
  const LFS = ['a.safetensors', 'b.safetensors', 'c.bin']
  const lfsBytes = (f: string) => (FILES[f] as { content: Buffer }).content.length

  test('files ModelScope lists with the Hub sha256 come from it, the rest from the Hub; no Hub token reaches it', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m10', FILES)
    ms.addRepo('acme/m10', FILES)
    hub.addToken('hf_hub_only', { repos: ['acme/m10'] })
    const run = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url, HF_TOKEN: 'hf_hub_only' } })('pull', 'acme/m10', '--mirror', 'ms://', '--chunk-size', '1M')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toContain('warning')
    await expectVerified(home, repo, 'acme/m10', Object.keys(FILES))
    for (const f of LFS) expect(ms.bytesServed(f), f).toBe(lfsBytes(f))
    // config.json is hashed by the Hub with git's sha1, which ModelScope's listing cannot be matched against.
    expect(hub.bytesServed()).toBe(Buffer.byteLength(FILES['config.json'] as string))
    expect(ms.requests.map((r) => r.headers.authorization).filter(Boolean)).toEqual([])
  })

  test('ms://org/name takes the bytes from another id there', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m11', FILES)
    ms.addRepo('acme-ms/m11-copy', FILES)
    const run = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('pull', 'acme/m11', '--mirror', 'ms://acme-ms/m11-copy')
    expect(run.code, run.stderr).toBe(0)
    await expectVerified(home, repo, 'acme/m11', Object.keys(FILES))
    expect(ms.bytesServed(undefined, 'acme-ms/m11-copy')).toBe(LFS.reduce((n, f) => n + lfsBytes(f), 0))
  })

  test('a file ModelScope lists with another sha256 is never asked of it, and says so', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m12', FILES)
    ms.addRepo('acme/m12', { ...FILES, 'b.safetensors': { content: bytes(99, 2 * MiB), lfs: true } })
    const run = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('pull', 'acme/m12', '--mirror', 'ms://')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('b.safetensors: ms:// lists other bytes for b.safetensors')
    await expectVerified(home, repo, 'acme/m12', Object.keys(FILES))
    expect(ms.bytesServed('b.safetensors')).toBe(0)
    expect(hub.bytesServed('b.safetensors')).toBe(2 * MiB)
    expect(ms.bytesServed('a.safetensors')).toBe(3 * MiB)
  })

  test('a repo ModelScope does not have costs a notice, not the pull', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m13', FILES)
    const run = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('pull', 'acme/m13', '--mirror', 'ms://')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/the mirror ms:\/\/ failed: .*fetching it from the Hub/)
    await expectVerified(home, repo, 'acme/m13', Object.keys(FILES))
    expect(hub.bytesServed()).toBe(TOTAL)
  })

  test('pull --locked takes bytes from ModelScope too, checked against the hashes the lock pins', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m15', FILES)
    ms.addRepo('acme/m15', FILES)
    expect((await hfx('lock', 'add', 'acme/m15')).code).toBe(0)
    const run = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('pull', '--locked', '--mirror', 'ms://')
    expect(run.code, run.stderr).toBe(0)
    await expectVerified(home, repo, 'acme/m15', Object.keys(FILES))
    expect(ms.bytesServed()).toBe(LFS.reduce((n, f) => n + lfsBytes(f), 0))
  })

  test('a malformed ms:// mirror is refused before any request', async ({ hub, hfx }) => {
    const run = await hfx('pull', 'acme/m14', '--mirror', 'ms://not an id')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("--mirror 'ms://not an id' is not a ModelScope mirror")
    expect(hub.requests).toEqual([])
  })
})
