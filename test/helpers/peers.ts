// The real Python clients of the Hub, run against the emulator on the test's own cache, so interop tests check
// hfx against what huggingface_hub and transformers actually do rather than against our reading of them.
// shared/peers/install.sh puts them in $HFX_PEERS_DIR (.ci/run does it in CI):
//   hub036  huggingface_hub 0.36.2: resumes a shared blobs/<etag>.incomplete, flock on .locks/<folder>/<etag>.lock
//   hub2    huggingface_hub 2.0.0: downloads into its own blobs/<etag>.<8 hex>.incomplete, same lock
//   tf      transformers 5 + safetensors + numpy (no torch): the loaders that read a cache offline
// Without HFX_PEERS_DIR every peer is undefined; tests that need one use describe.skipIf(!PEERS.x), so a
// machine without them reports those tests as skipped, never as passed. By hand:
//   bash ../shared/peers/install.sh ~/.cache/hfx-peers && npm run build &&
//   HFX_PEERS_DIR=~/.cache/hfx-peers npx vitest run test/e2e/interop-*.test.ts
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { Hub } from '../emulator/index.js'
import { collect, fixturesWith, type Home, type RunResult, testEnv } from './test.js'

export type PeerName = 'hub036' | 'hub2' | 'tf'

const PEERS_DIR = process.env.HFX_PEERS_DIR || undefined

/** The python of each peer environment, or undefined when HFX_PEERS_DIR is unset. */
export const PEERS: Record<PeerName, string | undefined> = {
  hub036: PEERS_DIR && path.join(PEERS_DIR, 'hub036', 'bin', 'python'),
  hub2: PEERS_DIR && path.join(PEERS_DIR, 'hub2', 'bin', 'python'),
  tf: PEERS_DIR && path.join(PEERS_DIR, 'tf', 'bin', 'python'),
}

/** The two huggingface_hub generations, whose download code differs where it matters to hfx. */
export const HUB_CLIENTS = ['hub036', 'hub2'] as const

export interface PeerOptions {
  /** sys.argv[1:] of the snippet. */
  args?: string[]
  /** Added to (or, when undefined, removed from) the environment peerEnv() builds. */
  env?: Record<string, string | undefined>
  /** Keep stdin open as a pipe (to tell a snippet when to go on); otherwise it reads /dev/null. */
  stdin?: boolean
}

export function peerEnv(hub: Hub, home: Home, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  // A developer's own Hub, proxy and Python settings must not leak in (PYTHONPATH would mix in other packages).
  return testEnv(
    /^(HF_|HFX_|HUGGING|TRANSFORMERS_|TOKENIZERS_|HTTPS?_PROXY|ALL_PROXY|NO_PROXY|PYTHON|VIRTUAL_ENV|CURL_CA|REQUESTS_CA|SSL_CERT)/i,
    {
      HF_ENDPOINT: hub.url,
      HF_HOME: home.dir,
      HF_HUB_CACHE: home.cache,
      HF_HUB_DISABLE_TELEMETRY: '1',
      // The emulator speaks the plain HTTP bridge only; with hf_xet installed the clients would try Xet.
      HF_HUB_DISABLE_XET: '1',
      HF_HUB_DISABLE_PROGRESS_BARS: '1',
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      TOKENIZERS_PARALLELISM: 'false',
    },
    extra,
  )
}

/** Runs `python -c script` in a peer environment; the caller owns the child (kill it when done). */
export function spawnPeer(peer: PeerName, script: string, hub: Hub, home: Home, opts: PeerOptions = {}): ChildProcess {
  const python = PEERS[peer]
  if (!python) throw new Error(`peer ${peer} is not installed (HFX_PEERS_DIR unset): guard the test with describe.skipIf`)
  return spawn(python, ['-c', script, ...(opts.args ?? [])], {
    env: peerEnv(hub, home, opts.env),
    cwd: home.dir,
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  })
}

/** The line a Python traceback ends with (`module.SomeError: message`), else stderr's last line. */
export function exceptionLine(stderr: string): string {
  const lines = stderr.trim().split('\n')
  const exception = lines.filter((l) => /^[A-Za-z_][\w.]*: /.test(l)).pop()
  return (exception ?? lines[lines.length - 1] ?? '').slice(0, 400)
}

/** For expect(run.code, why(run)): the exception first, then the tail of stderr. */
export function why(run: RunResult): string {
  return `${exceptionLine(run.stderr)}\n--- stderr (tail) ---\n${run.stderr.slice(-2000)}`
}

/** The last stdout line of a snippet that ends with print(json.dumps(...)). */
export function lastJson<T = unknown>(run: RunResult): T {
  const lines = run.stdout.trim().split('\n')
  try {
    return JSON.parse(lines[lines.length - 1] ?? '') as T
  } catch {
    throw new Error(`the snippet printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr.slice(-3000)}`)
  }
}

export interface Py {
  run(peer: PeerName, script: string, opts?: PeerOptions): Promise<RunResult>
  spawn(peer: PeerName, script: string, opts?: PeerOptions): ChildProcess
}

/** test.ts's fixtures, a CDN on another host name (see HubOptions.cdnHost), and `py`, killed after each test. */
export const test = fixturesWith({ cdnHost: 'localhost' }).extend<{ py: Py }>({
  py: async ({ hub, home }, use) => {
    const children = new Set<ChildProcess>()
    const spawnOne = (peer: PeerName, script: string, opts: PeerOptions = {}) => {
      const child = spawnPeer(peer, script, hub, home, opts)
      children.add(child)
      child.on('close', () => children.delete(child))
      return child
    }
    await use({ spawn: spawnOne, run: (peer, script, opts) => collect(spawnOne(peer, script, opts)) })
    // Gone before `home` is removed, so none is left writing into a deleted cache.
    const left = [...children].map((child) => new Promise((resolve) => child.once('close', resolve)))
    for (const child of children) child.kill('SIGKILL')
    await Promise.all(left)
  },
})

export { describe, expect } from './test.js'
export { until } from './until.js'
