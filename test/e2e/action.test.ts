// The composite action (action.yml) run as a runner would run its shell steps, against the emulator: the
// install step (npm stubbed: no network in tests) puts this checkout's bin/hfx.js on PATH as `hfx`, the key step
// makes the cache key, the pull step fills the cache and turns the rest of the job offline. The job runs twice
// over the same cache, as actions/cache would restore it: cold, then warm with no request to the Hub at all.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Hub } from '../emulator/index.js'
import { startJob, type Job } from '../helpers/actions-step.js'
import { bytes } from '../helpers/files.js'
import { PEERS, test, why } from '../helpers/peers.js'
import { CLI, describe, expect, type Home, hfxEnv } from '../helpers/test.js'

const ROOT = path.resolve(path.dirname(CLI), '..')
const SCRIPTS = path.join(ROOT, '.github', 'actions-scripts')
const script = (name: string) => path.join(SCRIPTS, name)

const MiB = 1024 * 1024
const MODEL = { 'config.json': '{"model_type":"llama"}', 'model.safetensors': bytes(3, 2 * MiB), 'README.md': '# tiny\n' }
const ROWS = { 'data/train.jsonl': '{"x":1}\n', 'README.md': '# rows\n' }

/** The env each step gets in action.yml with the inputs left at their defaults. */
const INPUTS: Record<string, Record<string, string>> = {
  'install.sh': {},
  'key.sh': { HFX_LOCKFILE: 'hfx.lock', HFX_CACHE_DIR: '' },
  'pull.sh': { HFX_LOCKFILE: 'hfx.lock', HFX_OIDC_RESOURCE: '', HFX_OFFLINE_AFTER: 'true' },
}

/** A fresh job's environment: the action's checkout is this one, and npm a stub that logs its arguments. */
async function jobEnv(hub: Hub, home: Home): Promise<{ env: NodeJS.ProcessEnv; npmLog: string }> {
  const stub = path.join(home.dir, 'stub-bin')
  await mkdir(stub)
  await writeFile(path.join(stub, 'npm'), '#!/bin/sh\necho "npm $* in $PWD" >>"$NPM_LOG"\n')
  await chmod(path.join(stub, 'npm'), 0o755)
  const npmLog = path.join(home.dir, 'npm.log')
  const env = hfxEnv(hub, home, {
    GITHUB_ACTION_PATH: ROOT,
    RUNNER_TEMP: path.join(home.dir, 'runner-temp'),
    NPM_LOG: npmLog,
    PATH: [stub, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
  })
  return { env, npmLog }
}

/** The action's three shell steps, in its order, in the workspace `home.dir`; the key step's outputs. */
async function runAction(env: NodeJS.ProcessEnv, home: Home): Promise<{ job: Job; outputs: Record<string, string> }> {
  const job = startJob(env, home.dir)
  const install = await job.step(script('install.sh'))
  expect(install.code, install.stderr).toBe(0)
  expect(install.pathFile).toEqual([path.join(home.dir, 'runner-temp', 'hfx-bin')])
  const key = await job.step(script('key.sh'), INPUTS['key.sh'])
  expect(key.code, key.stderr).toBe(0)
  const pull = await job.step(script('pull.sh'), INPUTS['pull.sh'])
  expect(pull.code, pull.stderr).toBe(0)
  expect(pull.envFile).toEqual({ HF_HUB_OFFLINE: '1' })
  return { job, outputs: key.outputs }
}

async function lockTwoRepos(hub: Hub, hfx: (...args: string[]) => Promise<{ code: number | null }>) {
  const model = hub.addRepo('acme/tiny', MODEL)
  hub.addRepo('acme/rows', ROWS, { type: 'dataset' })
  expect((await hfx('lock', 'add', 'acme/tiny', '--include', '*.json', '--include', '*.safetensors')).code).toBe(0)
  expect((await hfx('lock', 'add', 'datasets/acme/rows')).code).toBe(0)
  return model
}

describe('action.yml', () => {
  test('calls each script of .github/actions-scripts, giving it every HFX_ variable it reads', async () => {
    const action = await readFile(path.join(ROOT, 'action.yml'), 'utf8')
    for (const [name, inputs] of Object.entries(INPUTS)) {
      expect(action).toContain(`run: '"$GITHUB_ACTION_PATH/.github/actions-scripts/${name}"'`)
      const read = new Set((await readFile(script(name), 'utf8')).match(/HFX_[A-Z_]+/g) ?? [])
      expect(new Set(Object.keys(inputs))).toEqual(read)
      for (const v of read) expect(action, `${name} reads ${v}`).toMatch(new RegExp(`^ +${v}: \\$\\{\\{ inputs\\.`, 'm'))
    }
  })

  test('its steps on a two-repo lock: cold pull, then a warm one with no request; one key per lock', async ({ hub, hfx, home }) => {
    const model = await lockTwoRepos(hub, hfx)
    const { env, npmLog } = await jobEnv(hub, home)

    hub.resetLog()
    const cold = await runAction(env, home)
    expect(await readFile(npmLog, 'utf8')).toBe(`npm ci --no-audit --no-fund in ${ROOT}\n`)
    expect(cold.outputs.key).toMatch(/^hfx-[0-9a-f]{16}$/)
    expect(cold.outputs['cache-dir']).toBe(home.cache)
    expect(cold.outputs.paths).toBe(`${home.cache}\n${path.join(home.dir, 'modelscope', 'hub')}`)
    const fetched = hub.requests.map((r) => decodeURIComponent(r.path))
    expect(fetched.filter((p) => p.includes('/api/'))).toEqual([])
    for (const f of ['config.json', 'model.safetensors', 'data/train.jsonl']) expect(fetched.some((p) => p.endsWith(`/${f}`)), f).toBe(true)
    // A later step of the same job has HF_HUB_OFFLINE from GITHUB_ENV and hfx from GITHUB_PATH, and asks nothing.
    expect(cold.job.env.HF_HUB_OFFLINE).toBe('1')
    hub.resetLog()
    const later = await cold.job.step(script('pull.sh'), INPUTS['pull.sh'])
    expect(later.code, later.stderr).toBe(0)
    expect(hub.requests).toEqual([])

    // The next run: a fresh job, the cache as actions/cache restored it.
    const warm = await runAction(env, home)
    expect(hub.requests).toEqual([])
    expect(warm.outputs.key).toBe(cold.outputs.key)
    // Keyless auth asked for in a job that cannot mint a token (no id-token permission): a warm pull never
    // needs one; a cold one does, and says so.
    const keylessPull = async () => {
      const job = startJob({ ...env, GITHUB_ACTIONS: 'true' }, home.dir)
      await job.step(script('install.sh'))
      return job.step(script('pull.sh'), { ...INPUTS['pull.sh'], HFX_OIDC_RESOURCE: 'acme' })
    }
    const keyless = await keylessPull()
    expect(keyless.code, keyless.stderr).toBe(0)
    expect(hub.requests).toEqual([])

    model.commit({ ...MODEL, 'config.json': '{"model_type":"qwen2"}' })
    expect((await hfx('lock', '--update')).code).toBe(0)
    const keylessCold = await keylessPull()
    expect(keylessCold.code).toBe(4)
    expect(keylessCold.stderr).toMatch(/id-token: write/)
    const moved = await runAction(env, home)
    expect(moved.outputs.key).toMatch(/^hfx-[0-9a-f]{16}$/)
    expect(moved.outputs.key).not.toBe(cold.outputs.key)
  })

  test('cache-dir: the folder given is where the pull goes, and HF_HUB_CACHE names it for the later steps', async ({ hub, hfx, home }) => {
    await lockTwoRepos(hub, hfx)
    const { env } = await jobEnv(hub, home)
    const job = startJob(env, home.dir)
    expect((await job.step(script('install.sh'))).code).toBe(0)
    const key = await job.step(script('key.sh'), { ...INPUTS['key.sh'], HFX_CACHE_DIR: 'models-cache' })
    expect(key.code, key.stderr).toBe(0)
    const cache = path.join(home.dir, 'models-cache')
    expect(key.outputs['cache-dir']).toBe(cache)
    expect(key.envFile).toEqual({ HF_HUB_CACHE: cache })
    const pull = await job.step(script('pull.sh'), INPUTS['pull.sh'])
    expect(pull.code, pull.stderr).toBe(0)
    expect(pull.stdout).toContain(`${cache}/models--acme--tiny/snapshots/`)
  })

  describe.skipIf(!PEERS.tf)('transformers', () => {
    test('a later step of the job loads the model offline, with no request', async ({ hub, hfx, home, py }) => {
      await lockTwoRepos(hub, hfx)
      const { env } = await jobEnv(hub, home)
      const { job } = await runAction(env, home)
      hub.resetLog()
      const load = await py.run(
        'tf',
        "from transformers import AutoConfig\nprint(AutoConfig.from_pretrained('acme/tiny').model_type)",
        { env: { HF_HUB_OFFLINE: job.env.HF_HUB_OFFLINE } },
      )
      expect(load.code, why(load)).toBe(0)
      expect(load.stdout.trim()).toBe('llama')
      expect(hub.requests).toEqual([])
    })
  })
})
