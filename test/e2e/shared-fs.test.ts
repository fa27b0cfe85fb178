// Many hosts pulling into one cache on a shared filesystem where flock excludes nobody across hosts (NFS
// without a lock manager, Lustre with `localflock`): every "node" is its own network namespace with its own
// capped link to the Hub emulator, its own host name, and its own FUSE mount of one shared folder (so its
// flocks do not see the others'). hfx's leases (src/pull/blob-lease.ts) must still make each blob come from
// the Hub about once, and a node killed mid-file must be taken over by another without starting that file
// again.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'
import { repoDir } from '../helpers/cache.js'
import { sha256File } from '../helpers/files.js'
import { HUB_ADDRESS, makeSite, netnsSupport, type Site } from '../helpers/netns.js'
import { mountShared, sharedMountSupport, type SharedMounts } from '../helpers/shared-mounts.js'
import { CLI, collect, describe, expect, type RunResult, test, testEnv } from '../helpers/test.js'
import { until } from '../helpers/until.js'

const MiB = 1024 * 1024
const NODES = 4
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const skipReason = netnsSupport() ?? sharedMountSupport()

/** The emulator running in the site's namespace (test/helpers/emulator-process.ts). */
interface RemoteHub {
  url: string
  sha256: Record<string, string>
  served(): Promise<Record<string, number>>
  close(): Promise<void>
}

async function startRemoteHub(ns: string, repos: unknown): Promise<RemoteHub> {
  const child = spawn('ip', ['netns', 'exec', ns, path.join(ROOT, 'node_modules/.bin/vite-node'), path.join(ROOT, 'test/helpers/emulator-process.ts'), '--', JSON.stringify({ listenHost: HUB_ADDRESS, repos })], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const waiting: ((line: string) => void)[] = []
  lines.on('line', (line) => waiting.shift()?.(line))
  const next = () => new Promise<string>((resolve) => waiting.push(resolve))
  const ready = await Promise.race([
    next(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the emulator did not start in 60 s')), 60_000).unref()),
  ])
  const info = JSON.parse(ready.slice('ready '.length)) as { url: string; sha256: Record<string, string> }
  return {
    ...info,
    async served() {
      const answer = next()
      child.stdin!.write('served\n')
      return JSON.parse((await answer).slice('served '.length))
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.on('close', () => resolve())
        child.stdin!.end()
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
      }),
  }
}

let site: Site | undefined
let mounts: SharedMounts | undefined
let hub: RemoteHub | undefined
let scratch: string | undefined
const nodes = new Set<ChildProcess>()
afterEach(async () => {
  for (const n of nodes) n.kill('SIGKILL')
  nodes.clear()
  await hub?.close()
  await mounts?.unmount()
  await site?.remove()
  if (scratch) await rm(scratch, { recursive: true, force: true })
  hub = mounts = site = scratch = undefined
})

async function setUp(repos: unknown): Promise<void> {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'hfx-sharedfs-'))
  // 40 Mbit/s (5 MB/s) to each node: slow enough that the nodes overlap on every file.
  site = await makeSite(NODES, '40mbit')
  mounts = await mountShared(path.join(scratch, 'shared'), path.join(scratch, 'mnt'), NODES)
  hub = await startRemoteHub(site.site, repos)
}

/** `hfx pull` on node i (0-based): in its namespace, under its own host name, on its own mount. */
function node(i: number, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', site!.nodes[i]!, 'unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', `hfx-node-${i + 1}`, process.execPath, CLI, ...args], {
    env: testEnv(/^(HF_|HFX_|HUGGING|HTTPS?_PROXY|NO_PROXY|GITHUB_ACTIONS$|GITLAB_CI$)/i, { HF_ENDPOINT: hub!.url, HF_HOME: mounts!.mounts[i]!, NO_COLOR: '1', HF_HUB_DOWNLOAD_TIMEOUT: '30', HF_HUB_ETAG_TIMEOUT: '30', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  nodes.add(child)
  child.on('close', () => nodes.delete(child))
  return child
}

/** What is wrong with `repo` as node i sees it through its own mount (empty when every file is right). */
async function problems(i: number, repo: string, files: string[]): Promise<string[]> {
  const snapshots = path.join(repoDir(path.join(mounts!.mounts[i]!, 'hub'), repo), 'snapshots')
  const [commit] = await readdir(snapshots)
  const out: string[] = []
  for (const f of files) {
    const got = await sha256File(path.join(snapshots, commit!, f)).catch((e: Error) => e.message)
    if (got !== hub!.sha256[`${repo}/${f}`]) out.push(`node ${i + 1}: ${f}: ${got}`)
  }
  return out
}

/** Bytes the sidecars of hfx's partials in `blobs` record as on disk. */
async function recorded(blobs: string): Promise<number> {
  let n = 0
  for (const name of (await readdir(blobs).catch(() => [])).filter((f) => f.endsWith('.partial.parts'))) {
    const text = await readFile(path.join(blobs, name), 'utf8').catch(() => '')
    try {
      const done = (JSON.parse(text) as { done?: { start: number; end: number }[] }).done ?? []
      n += done.reduce((sum, r) => sum + r.end - r.start, 0)
    } catch {
      // Not written yet.
    }
  }
  return n
}

function ok(runs: RunResult[]): void {
  for (const [i, r] of runs.entries()) expect(r.code, `node ${i + 1}: ${r.stderr}`).toBe(0)
}

describe.skipIf(skipReason)('a cache shared by several hosts, where flock excludes nobody across hosts', () => {
  test('four nodes pulling one repo at once: every node verified, each file served by the Hub about once', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`model-0000${k + 1}-of-00006.safetensors`, { seed: 300 + k, size: 3 * MiB + k, lfs: true }]))
    await setUp([{ id: 'acme/fleet', files: { 'config.json': { seed: 1, size: 300, lfs: false }, ...files } }])
    const runs = await Promise.all(Array.from({ length: NODES }, (_, i) => collect(node(i, ['pull', 'acme/fleet', '--connections', '4', '--chunk-size', '1M', '--json']))))
    ok(runs)
    for (let i = 0; i < NODES; i++) expect(await problems(i, 'acme/fleet', ['config.json', ...Object.keys(files)])).toEqual([])
    const served = await hub!.served()
    for (const [f, spec] of Object.entries(files)) {
      // Once, and a little more when a lease changed hands at a boundary; four times without leases.
      expect(served[`acme/fleet/${f}`], f).toBeLessThan(spec.size * 1.25)
    }
    // Together the nodes fetched the repo once (whichever node leased a file first fetched it).
    const downloaded = runs.map((r) => (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { bytesDownloaded: number }).bytesDownloaded)
    const repoBytes = 300 + Object.values(files).reduce((n, f) => n + f.size, 0)
    expect(downloaded.reduce((a, b) => a + b)).toBeLessThan(repoBytes * 1.25)
    // No lease is left behind once every node is done.
    const locks = path.join(scratch!, 'shared', 'hub', '.locks', 'models--acme--fleet')
    expect((await readdir(locks)).filter((n) => n.includes('hfx-lease'))).toEqual([])
  })

  test('a node killed mid-file is taken over by another, which keeps what it had fetched', async () => {
    const SIZE = 16 * MiB
    await setUp([{ id: 'acme/big', files: { 'model.safetensors': { seed: 77, size: SIZE, lfs: true } } }])
    const args = ['pull', 'acme/big', '--connections', '2', '--chunk-size', '1M']
    const first = node(0, args)
    const firstRun = collect(first)
    await until('node 1 fetching', async () => ((await hub!.served())['acme/big/model.safetensors'] ?? 0) >= 2 * MiB, 60_000)
    // The others find the blob leased by a live node: they wait for it (3 s without a beat counts as stopped).
    const others = [1, 2, 3].map((i) => node(i, args, { HFX_LOCK_WAIT: '3' }))
    const stderr = others.map(() => '')
    for (const [k, c] of others.entries()) c.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr[k] += d))
    const otherRuns = others.map((c) => collect(c))
    await until('the other nodes waiting for node 1', () => stderr.every((s) => s.includes('waiting: another process')), 60_000)
    // Let node 1 fetch, and record in its sidecar (once a second), a few MB before it dies: only what the
    // sidecar records survives a kill -9, and on a loaded machine it lags what the Hub has sent.
    const blobs = path.join(scratch!, 'shared', 'hub', 'models--acme--big', 'blobs')
    await until('node 1 has recorded 2 MiB', async () => (await recorded(blobs)) >= 2 * MiB, 60_000)
    first.kill('SIGKILL')
    expect((await firstRun).signal).toBe('SIGKILL')
    const atKill = (await hub!.served())['acme/big/model.safetensors']!
    expect(atKill).toBeLessThan(SIZE) // it died mid-file
    const runs = await Promise.all(otherRuns)
    ok(runs)
    for (const i of [1, 2, 3]) expect(await problems(i, 'acme/big', ['model.safetensors'])).toEqual([])
    // One node took over node 1's lease and its partial (the others then found the blob done), so the Hub
    // served less than the whole file after the kill: what node 1 had recorded was kept, not fetched again.
    // (Bytes node 1 had received but not yet recorded, and those still in socket buffers, are fetched again.)
    const all = runs.map((r) => r.stderr).join('\n')
    expect(all.match(/taking over its download of model\.safetensors/g)?.length, all).toBe(1)
    expect(all).toMatch(/resuming model\.safetensors at [\d.]+ MB/)
    const afterKill = (await hub!.served())['acme/big/model.safetensors']! - atKill
    expect(afterKill, all).toBeLessThan(SIZE - MiB)
    // One blob. Node 1's partial was copied, and is left for `cache prune` or the next pull to remove once
    // quiet (a partial of another host is never deleted while it may still be written).
    expect((await readdir(blobs)).filter((n) => !n.includes('.partial'))).toEqual([hub!.sha256['acme/big/model.safetensors']])
    expect(await readFile(path.join(blobs, hub!.sha256['acme/big/model.safetensors']!)).then((b) => b.length)).toBe(SIZE)
  })
})
