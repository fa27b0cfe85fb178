// Every command a hint suggests runs as printed (issue 15, point 4): the hint is cut from stderr and given to
// a real POSIX shell, with `hfx` the built CLI, against the same emulator. For a model, a dataset and a
// space: an unknown revision (the hint lists branches and tags), an unknown file, a filter that matches
// nothing, a missing folder, and a name that exists under another type.
import { spawn } from 'node:child_process'
import type { Hub } from '../emulator/index.js'
import { CLI, collect, describe, expect, hfxEnv, test, type Home, type RunResult } from '../helpers/test.js'

const NOT_FOUND = 3

/** The command in a `hint:` line: from `hfx ` to the end of the line. */
function hintCommand(stderr: string): string {
  const hint = stderr.split('\n').find((l) => l.startsWith('hint: '))
  const at = hint?.indexOf('hfx ') ?? -1
  if (!hint || at < 0) throw new Error(`no hfx command in a hint: ${stderr}`)
  return hint.slice(at)
}

/** Runs a command line as a user pastes it into sh, `hfx` being the built CLI. */
function runInShell(hub: Hub, home: Home, line: string): Promise<RunResult> {
  const script = `hfx() { "${process.execPath}" "${CLI}" "$@"; }\n${line}`
  return collect(spawn('sh', ['-c', script], { env: hfxEnv(hub, home), cwd: home.dir, stdio: ['ignore', 'pipe', 'pipe'] }))
}

const KINDS = [
  { type: 'model', name: 'org/m', wrong: 'datasets/org/m' },
  { type: 'dataset', name: 'datasets/org/d', wrong: 'org/d' },
  { type: 'space', name: 'spaces/org/s', wrong: 'org/s' },
] as const

function addRepo(hub: Hub, kind: (typeof KINDS)[number]) {
  const repo = hub.addRepo(kind.name.replace(/^(datasets|spaces)\//, ''), { 'config.json': '{}', 'data/a.txt': 'a' }, { type: kind.type })
  repo.commit({ 'config.json': '{"dev":1}' }, { branch: 'dev' })
  repo.setRef('v1.0', repo.head, { tag: true })
  return repo
}

describe.each(KINDS)('hints for a $type run as printed', (kind) => {
  test.for([
    ['an unknown revision', ['ls', `${kind.name}@nope`]],
    ['an unknown file', ['pull', kind.name, 'nope.txt']],
    ['a filter that matches nothing', ['pull', kind.name, '--include', '*.nope']],
    ['a missing folder', ['ls', kind.name, 'nope/']],
    ['a name that exists as another type', ['ls', kind.wrong]],
  ] as const)('%s', async ([, args], { hub, home, hfx }) => {
    addRepo(hub, kind)
    const failed = await hfx(...args)
    expect(failed.code).toBe(NOT_FOUND)
    const command = hintCommand(failed.stderr)
    expect(command).toMatch(new RegExp(`^hfx ls ${kind.name.replace(/\//g, '\\/')}(@|$)`))
    const run = await runInShell(hub, home, command)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('config.json')
  })

  test('the unknown-revision hint lists the branches and tags', async ({ hub, hfx }) => {
    addRepo(hub, kind)
    const run = await hfx('pull', `${kind.name}@nope`, '--dry-run')
    expect(run.stderr).toContain(`error: revision 'nope' does not exist in ${kind.name}.`)
    expect(run.stderr).toContain(`hint: Branches: main, dev; tags: v1.0; or a commit sha. List the files on main with: hfx ls ${kind.name}@main`)
  })
})

test('a revision the shell would split is quoted in the hint', async ({ hub, home, hfx }) => {
  const repo = hub.addRepo('org/m', { 'config.json': '{}' })
  repo.commit({ 'config.json': '{"x":1}' }, { branch: 'exp;1' })
  const failed = await hfx('pull', 'org/m@exp;1', 'nope.txt')
  expect(failed.code).toBe(NOT_FOUND)
  expect(hintCommand(failed.stderr)).toBe("hfx ls 'org/m@exp;1'")
  const run = await runInShell(hub, home, hintCommand(failed.stderr))
  expect(run.code).toBe(0)
  expect(run.stdout).toContain('exp;1 → ')
})

test('a name missing under every type keeps the plain advice, after one request per other type', async ({ hub, hfx }) => {
  hub.addRepo('org/m', { 'config.json': '{}' })
  const run = await hfx('ls', 'org/none')
  expect(run.code).toBe(NOT_FOUND)
  expect(run.stderr).toContain('hint: Check the name (and --repo-type for datasets/spaces)')
  expect(hub.requests.map((r) => r.path)).toEqual(['/api/models/org/none/revision/main', '/api/datasets/org/none', '/api/spaces/org/none'])
})
