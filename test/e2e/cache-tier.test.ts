// The shipped nginx caching tier (deploy/nginx/hfx-cache.conf) in front of the emulator, with waves of four
// `hfx pull` "nodes" at once: the origin serves each file about once per site, every node verifies its files,
// and a second wave costs the origin no file bytes at all.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import type { EmuRepo, Hub } from '../emulator/index.js'
import { cacheProblems } from '../helpers/blob-check.js'
import { bytes } from '../helpers/files.js'
import { NGINX, haveCaFile, startTier, type Tier } from '../helpers/nginx-tier.js'
import { SNAPSHOT_DOWNLOAD } from '../helpers/peer-scripts.js'
import { HUB_CLIENTS, PEERS, spawnPeer, why } from '../helpers/peers.js'
import { collect, describe, expect, test, type Hfx } from '../helpers/test.js'

const MiB = 1024 * 1024
const NODES = 4

const FILES = {
  'config.json': '{"model_type":"llama","hidden_size":64}',
  'tokenizer.json': JSON.stringify({ vocab: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`t${i}`, i])) }),
  // Larger than one 8 MiB slice, so the tier's slices and hfx's parallel ranges both matter.
  'model-00001-of-00002.safetensors': bytes(181, 12 * MiB + 123),
  'model-00002-of-00002.safetensors': bytes(182, 5 * MiB),
}
const REPO_BYTES = Object.values(FILES).reduce((n, c) => n + Buffer.byteLength(c), 0)
// The weights as LFS files (the Hub redirects them to its CDN), the rest served by the Hub itself.
const SPECS = Object.fromEntries(Object.entries(FILES).map(([f, content]) => [f, { content, lfs: f.endsWith('.safetensors') }]))

const skipReason = !NGINX
  ? 'skipped: nginx is not installed (.ci/run installs it from Debian packages)'
  : !haveCaFile
    ? 'skipped: no CA bundle at /etc/ssl/certs/ca-certificates.crt for the template'
    : undefined

let tier: Tier | undefined
let scratch: string | undefined
afterEach(async () => {
  await tier?.stop()
  tier = undefined
  if (scratch) await rm(scratch, { recursive: true, force: true })
  scratch = undefined
})

/** Four nodes pulling at once, each with its own HF_HOME; returns the caches' problems, one list per node. */
async function wave(hfx: Hfx, repo: EmuRepo, endpoint: string, name: string, token?: string): Promise<string[][]> {
  const homes = Array.from({ length: NODES }, (_, i) => path.join(scratch!, `${name}-node${i}`))
  const runs = await Promise.all(
    homes.map((home) =>
      collect(
        hfx.spawn(['pull', repo.id, '--connections', '4', '--chunk-size', '2M'], {
          env: { HF_ENDPOINT: endpoint, HF_HOME: home, HF_HUB_DOWNLOAD_TIMEOUT: '30', HF_HUB_ETAG_TIMEOUT: '30', HF_TOKEN: token },
        }),
      ),
    ),
  )
  for (const [i, r] of runs.entries()) expect(r.code, `${name} node ${i}: ${r.stderr}`).toBe(0)
  return Promise.all(homes.map((home) => cacheProblems(path.join(home, 'hub'), repo)))
}

function perFile(hub: Hub): Record<string, number> {
  return Object.fromEntries(Object.keys(FILES).map((f) => [f, hub.bytesServed(f)]))
}

describe.skipIf(skipReason !== undefined)(`a caching tier on nginx${skipReason ? ` (${skipReason})` : ''}`, () => {
  test('two waves of four nodes: the origin serves each file about once, every node verified', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/fleet', SPECS)
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hfx-tier-'))
    const t = (tier = await startTier(path.join(scratch, 'nginx'), hub))

    const first = await wave(hfx, repo, t.url, 'wave1')
    expect(first, await t.errors()).toEqual(Array(NODES).fill([]))
    const afterOne = perFile(hub)
    for (const [file, content] of Object.entries(FILES)) {
      const size = Buffer.byteLength(content)
      // nginx's cache lock makes this ~1x; a little slack for a first concurrent wave.
      expect(afterOne[file], `${file}: origin bytes after one wave`).toBeGreaterThanOrEqual(size)
      expect(afterOne[file], `${file}: origin bytes after one wave`).toBeLessThanOrEqual(1.5 * size)
    }
    // Every request reached the origins through the tier (the nodes never needed the CDN's host).
    expect(hub.requests.filter((r) => r.headers.via !== '1.1 hfx-cache').map((r) => `${r.origin} ${r.path}`)).toEqual([])

    const cdnRequests = hub.requests.filter((r) => r.origin === 'cdn').length
    const second = await wave(hfx, repo, t.url, 'wave2')
    expect(second, await t.errors()).toEqual(Array(NODES).fill([]))
    expect(perFile(hub), 'a second wave must be served from the tier').toEqual(afterOne)
    expect(hub.requests.filter((r) => r.origin === 'cdn').length, 'CDN requests after two waves').toBe(cdnRequests)

    const oneWave = Object.values(afterOne).reduce((a, b) => a + b)
    console.info(`cache tier, ${NODES} nodes, repo of ${REPO_BYTES} bytes: origin served ${oneWave} bytes for one wave and ${hub.bytesServed()} for two`)
  })

  test('a private repo: every token checked by the Hub, never sent to the CDN, the bytes still served once', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/secret', SPECS, { private: true })
    hub.addToken('hf_fleet', { repos: ['acme/secret'] })
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hfx-tier-'))
    tier = await startTier(path.join(scratch, 'nginx'), hub)

    expect(await wave(hfx, repo, tier.url, 'wave1', 'hf_fleet')).toEqual(Array(NODES).fill([]))
    expect(await wave(hfx, repo, tier.url, 'wave2', 'hf_fleet')).toEqual(Array(NODES).fill([]))
    const weights = Object.keys(FILES).filter((f) => f.endsWith('.safetensors'))
    for (const f of weights) expect(hub.bytesServed(f), f).toBeLessThanOrEqual(1.5 * Buffer.byteLength(FILES[f as keyof typeof FILES]))
    const hubCalls = hub.requests.filter((r) => r.origin === 'hub')
    expect(hubCalls.length).toBeGreaterThan(0)
    expect(hubCalls.filter((r) => r.headers.authorization !== 'Bearer hf_fleet').map((r) => r.path)).toEqual([])
    expect(hub.requests.filter((r) => r.origin === 'cdn' && r.headers.authorization !== undefined)).toEqual([])
    // A node without the token gets nothing from the tier's cache.
    const stranger = await hfx.spawn(['pull', repo.id], { env: { HF_ENDPOINT: tier.url, HF_HOME: path.join(scratch, 'stranger') } })
    expect((await collect(stranger)).code).not.toBe(0)
  })

  test('without the tier, every node costs the origin the whole repo', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/fleet', SPECS)
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hfx-tier-'))
    expect(await wave(hfx, repo, hub.url, 'wave1')).toEqual(Array(NODES).fill([]))
    const oneWave = hub.bytesServed()
    expect(await wave(hfx, repo, hub.url, 'wave2')).toEqual(Array(NODES).fill([]))
    expect([oneWave, hub.bytesServed()]).toEqual([NODES * REPO_BYTES, 2 * NODES * REPO_BYTES])
    console.info(`no tier, ${NODES} nodes: origin served ${oneWave} bytes for one wave and ${hub.bytesServed()} for two`)
  })

  // The peers' own fixture puts the CDN on `localhost`, a name nginx would have to resolve through DNS.
  for (const client of HUB_CLIENTS) {
    test.skipIf(!PEERS[client])(`${client} pulls through the tier what an hfx node left there`, async ({ hub, hfx, home }) => {
      const repo = hub.addRepo('acme/fleet', SPECS)
      scratch = await mkdtemp(path.join(os.tmpdir(), 'hfx-tier-'))
      tier = await startTier(path.join(scratch, 'nginx'), hub)
      const node = await collect(hfx.spawn(['pull', repo.id], { env: { HF_ENDPOINT: tier.url, HF_HOME: path.join(scratch, 'node') } }))
      expect(node.code, node.stderr).toBe(0)
      const origin = hub.bytesServed()

      const run = await collect(spawnPeer(client, SNAPSHOT_DOWNLOAD, hub, home, { args: [repo.id], env: { HF_ENDPOINT: tier.url } }))
      expect(run.code, why(run)).toBe(0)
      expect(await cacheProblems(home.cache, repo)).toEqual([])
      expect(hub.bytesServed(), 'served from the tier').toBe(origin)
    })
  }
})
