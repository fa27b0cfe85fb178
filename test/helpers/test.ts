// vitest fixtures for end-to-end tests: a fresh Hub emulator, a fresh HF_HOME, and `hfx` that spawns the
// built CLI (node dist/cli.js) so exit codes, stdout/stderr, TTY detection and signals are all real.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base } from 'vitest'
import { startHub, type Hub, type HubOptions } from '../emulator/index.js'

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js')

export interface Home {
  dir: string
  /** HF_HUB_CACHE for this test ($HF_HOME/hub). */
  cache: string
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  cwd?: string
  /** Run as another user (the tests run as root; a shared cache has several users). */
  uid?: number
  gid?: number
}

export type Hfx = ((...args: string[]) => Promise<RunResult>) & {
  with(opts: RunOptions): (...args: string[]) => Promise<RunResult>
  spawn(args: string[], opts?: RunOptions): ChildProcess
}

type EnvPatch = Record<string, string | undefined>

/**
 * process.env without the variables `leaking` matches (a developer's own settings must not reach a test),
 * then `base`, then `extra` (where undefined removes a variable).
 */
export function testEnv(leaking: RegExp, base: Record<string, string>, extra: EnvPatch = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const k of Object.keys(env)) if (leaking.test(k)) delete env[k]
  Object.assign(env, base)
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** GITHUB_ACTIONS and GITLAB_CI go too: run in CI, hfx's own tests would otherwise all see grouped output. */
export function hfxEnv(hub: Hub, home: Home, extra: EnvPatch = {}): NodeJS.ProcessEnv {
  return testEnv(
    /^(HF_|HFX_|HUGGING|TRANSFORMERS_OFFLINE$|XDG_CACHE_HOME$|HTTPS?_PROXY|NO_PROXY|FORCE_COLOR|GITHUB_ACTIONS$|GITHUB_STEP_SUMMARY$|GITLAB_CI$)/i,
    { HF_ENDPOINT: hub.url, HF_HOME: home.dir, NO_COLOR: '1', HF_HUB_DOWNLOAD_TIMEOUT: '1', HF_HUB_ETAG_TIMEOUT: '1' },
    extra,
  )
}

export function collect(child: ChildProcess): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

export interface Fixtures {
  hubOptions: HubOptions
  hub: Hub
  home: Home
  hfx: Hfx
}

/**
 * The fixtures, with the hub started with these options unless a test says otherwise (test.scoped). A later
 * .extend({ hubOptions }) would not do: vitest keeps `hub` bound to the hubOptions it was declared with.
 */
export function fixturesWith(hubDefaults: HubOptions, hfxDefaults: { env?: EnvPatch } = {}) {
  return base.extend<Fixtures>({
    hubOptions: hubDefaults,
    hub: async ({ hubOptions }, use) => {
      const hub = await startHub(hubOptions)
      await use(hub)
      await hub.close()
    },
    home: async ({}, use) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-test-'))
      await use({ dir, cache: path.join(dir, 'hub') })
      await rm(dir, { recursive: true, force: true })
    },
    hfx: async ({ hub, home }: { hub: Hub; home: Home }, use: (hfx: Hfx) => Promise<void>) => {
      const children = new Set<ChildProcess>()
      const spawnHfx = (args: string[], opts: RunOptions = {}) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          env: hfxEnv(hub, home, { ...hfxDefaults.env, ...opts.env }),
          cwd: opts.cwd ?? home.dir,
          uid: opts.uid,
          gid: opts.gid,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        children.add(child)
        child.on('close', () => children.delete(child))
        return child
      }
      const run = (opts: RunOptions) => (...args: string[]) => collect(spawnHfx(args, opts))
      const hfx = Object.assign(run({}), { with: run, spawn: spawnHfx })
      await use(hfx)
      for (const child of children) child.kill('SIGKILL')
    },
  })
}

export const test = fixturesWith({})

/**
 * The two ways the bytes of a file of several chunks are received: on the main thread (the default below 4
 * cores, so on CI) and on receive threads (pull/receive-pool.ts, the default on larger hosts). Suites about
 * the byte path run under both: `describe.for(RECEIVE_MODES)(…, ([, env]) => { const test = fixturesWith({}, { env }) … })`.
 */
export const RECEIVE_MODES = [
  ['on the main thread', { HFX_RECEIVE_THREADS: '0' }],
  ['on receive threads', { HFX_RECEIVE_THREADS: '2' }],
] as const

export { expect, describe } from 'vitest'
