// The environment variables huggingface_hub reads mean the same to hfx: paths with `~` and `$VAR`, the
// TRANSFORMERS_OFFLINE alias, which token is sent (HF_HUB_DISABLE_IMPLICIT_TOKEN, a blank HF_TOKEN).
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Hub } from '../emulator/index.js'
import { describe, expect, test } from '../helpers/test.js'

describe('paths', () => {
  test('HF_HOME=~/hf and HF_HUB_CACHE=$VAR/x are expanded, never created literally', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/tilde', { 'a.json': '{}' })
    const env = { HOME: home.dir, HF_HOME: '~/hf' }
    const run = await hfx.with({ env, cwd: home.dir })('pull', 'acme/tilde', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim().startsWith(path.join(home.dir, 'hf', 'hub', 'models--acme--tilde', 'snapshots'))).toBe(true)

    const vars = await hfx.with({ env: { SCRATCH: home.dir, HF_HUB_CACHE: '${SCRATCH}/x' }, cwd: home.dir })('pull', 'acme/tilde', '--quiet')
    expect(vars.code, vars.stderr).toBe(0)
    expect(vars.stdout.trim().startsWith(path.join(home.dir, 'x', 'models--acme--tilde'))).toBe(true)
    expect(await readdir(home.dir)).not.toContain('~')
    expect(await readdir(home.dir)).not.toContain('${SCRATCH}')
  })

  test('--cache-dir=~/c and --local-dir=~/out expand ~ (the shell does not, after =)', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/flags', { 'a.json': '{}' })
    const run = hfx.with({ env: { HOME: home.dir }, cwd: home.dir })
    const cached = await run('pull', 'acme/flags', '--cache-dir=~/c', '--quiet')
    expect(cached.code, cached.stderr).toBe(0)
    expect(cached.stdout.trim().startsWith(path.join(home.dir, 'c', 'models--acme--flags'))).toBe(true)
    const local = await run('pull', 'acme/flags', '--local-dir=~/out', '--quiet')
    expect(local.code, local.stderr).toBe(0)
    expect(await readdir(path.join(home.dir, 'out'))).toContain('a.json')
    expect(await readdir(home.dir)).not.toContain('~')
  })
})

describe('offline', () => {
  test('TRANSFORMERS_OFFLINE=1 is HF_HUB_OFFLINE=1, unless HF_HUB_OFFLINE is set', async ({ hub, hfx }) => {
    hub.addRepo('acme/alias', { 'a.json': '{}' })
    const run = await hfx.with({ env: { TRANSFORMERS_OFFLINE: '1' } })('pull', 'acme/alias')
    expect(run.code).toBe(9)
    expect(run.stderr).toContain('error: TRANSFORMERS_OFFLINE is set and acme/alias@main is not in the cache')
    expect(run.stderr).toContain('hint: Run the same command once without TRANSFORMERS_OFFLINE')
    const ls = await hfx.with({ env: { TRANSFORMERS_OFFLINE: '1' } })('ls', 'acme/alias')
    expect(ls.code).toBe(9)
    expect(ls.stderr).toContain('hint: Unset TRANSFORMERS_OFFLINE to reach the Hub.')
    expect(hub.requests).toEqual([])
    const online = await hfx.with({ env: { TRANSFORMERS_OFFLINE: '1', HF_HUB_OFFLINE: '0' } })('pull', 'acme/alias')
    expect(online.code, online.stderr).toBe(0)
  })
})

describe('token', () => {
  async function privateRepoWithTokenFile(hub: Hub, dir: string): Promise<void> {
    hub.addRepo('acme/private', { 'a.txt': 'a' }, { private: true })
    hub.addToken('hf_from_file', { repos: ['acme/private'] })
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, 'token'), 'hf_from_file\n')
  }
  const sentTokens = (hub: Hub) => hub.requests.filter((r) => r.headers.authorization).length

  test('HF_HUB_DISABLE_IMPLICIT_TOKEN=1: neither the token file nor HF_TOKEN is sent; --token is', async ({ hub, home, hfx }) => {
    await privateRepoWithTokenFile(hub, home.dir)
    const noFile = await hfx.with({ env: { HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' } })('ls', 'acme/private', '--flat')
    expect(noFile.code).toBe(3) // a private repo looks missing without a token
    const noVar = await hfx.with({ env: { HF_HUB_DISABLE_IMPLICIT_TOKEN: '1', HF_TOKEN: 'hf_from_file' } })('ls', 'acme/private', '--flat')
    expect(noVar.code).toBe(3)
    expect(sentTokens(hub)).toBe(0)
    const explicit = await hfx.with({ env: { HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' } })('ls', 'acme/private', '--flat', '--token', 'hf_from_file')
    expect(explicit.code, explicit.stderr).toBe(0)
  })

  test.for(['', ' ', '\n'])('HF_TOKEN=%j falls through to the token file, as in huggingface_hub', async (blank, { hub, home, hfx }) => {
    await privateRepoWithTokenFile(hub, home.dir)
    const run = await hfx.with({ env: { HF_TOKEN: blank } })('ls', 'acme/private', '--flat')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim()).toBe('a.txt')
  })
})
