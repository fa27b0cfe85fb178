// Folders and files named the ways people paste them (issue 15, points 1-3 and 5): a folder URL or hf:// path
// pulls that folder, a path that names a file lists that file, a folder without its trailing slash is the
// folder, and a hostile entry is listed (by its full path, escaped) by ls and info but refused by pull.
import path from 'node:path'
import { listFiles, repoDir } from '../helpers/cache.js'
import type { Hub } from '../emulator/index.js'
import { describe, expect, test } from '../helpers/test.js'

const NOT_FOUND = 3
const PROTOCOL = 8

/** A dataset with two splits, and a sibling folder whose name starts like one of them. */
function addSplits(hub: Hub) {
  return hub.addRepo(
    'org/name',
    { 'README.md': '# d', 'data/train/a.parquet': 'aaaa', 'data/train/b.parquet': 'bbbb', 'data/train2/z.parquet': 'zz', 'data/test/c.parquet': 'cc' },
    { type: 'dataset' },
  )
}

async function snapshotFiles(cache: string, commit: string): Promise<string[]> {
  return listFiles(path.join(repoDir(cache, 'org/name', 'dataset'), 'snapshots', commit))
}

describe('point 1: a folder URL or hf:// folder path pulls that folder', () => {
  test.for([
    ['a browser folder URL', (url: string) => `${url}/datasets/org/name/tree/main/data/train`],
    ['an hf:// folder path with a trailing slash', () => 'hf://datasets/org/name@main/data/train/'],
    ['an hf:// folder path without one', () => 'hf://datasets/org/name@main/data/train'],
  ] as const)('%s', async ([, form], { hub, home, hfx }) => {
    const repo = addSplits(hub)
    const run = await hfx('pull', form(hub.url), '--quiet')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(await snapshotFiles(home.cache, repo.head)).toEqual(['data/train/a.parquet', 'data/train/b.parquet'])
  })

  test('a folder that does not exist is still "does not exist"', async ({ hub, hfx }) => {
    addSplits(hub)
    const run = await hfx('pull', 'hf://datasets/org/name@main/data/nope/')
    expect(run.code).toBe(NOT_FOUND)
    expect(run.stderr).toContain('error: data/nope does not exist in datasets/org/name at main.')
  })
})

describe('point 2: ls of a path that names a file shows that file', () => {
  test('a positional file, a blob URL, and --json', async ({ hub, hfx }) => {
    const repo = hub.addRepo('org/model', { 'config.json': '{"model_type":"llama"}', 'original/params.json': '{}' })
    const byName = await hfx('ls', 'org/model', 'config.json')
    expect(byName.stderr).toBe('')
    expect(byName.code).toBe(0)
    expect(byName.stdout.trimEnd().split('\n')).toEqual([`org/model  main → ${repo.head}`, '└── config.json  22 B', '1 file, 22 B (22 bytes)'])
    // The tree endpoint answers 404 for a file; paths-info is asked once, after it.
    expect(hub.requests.filter((r) => r.path.includes('/paths-info/')).map((r) => r.method)).toEqual(['POST'])

    const byUrl = await hfx('ls', `${hub.url}/org/model/blob/main/original/params.json`)
    expect(byUrl.code).toBe(0)
    expect(byUrl.stdout.trimEnd().split('\n')).toEqual([`org/model/original  main → ${repo.head}`, '└── params.json  2 B', '1 file, 2 B (2 bytes)'])

    const json = JSON.parse((await hfx('ls', 'org/model', 'original/params.json', '--json')).stdout)
    expect(json.path).toBe('original/params.json')
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(['original/params.json'])
  })

  test('a path that is neither file nor folder is "does not exist", with a hint that runs', async ({ hub, hfx }) => {
    const repo = hub.addRepo('org/model', { 'config.json': '{}' })
    const run = await hfx('ls', 'org/model', 'nope.json')
    expect(run.code).toBe(NOT_FOUND)
    expect(run.stderr).toContain(`error: nope.json does not exist in org/model at ${repo.head}.`)
    expect(run.stderr).toContain(`hint: List the files with: hfx ls org/model@${repo.head}`)
  })
})

describe('point 3: a folder without its trailing slash is the folder', () => {
  test('as a positional name and as --include, not the sibling with the same prefix', async ({ hub, home, hfx }) => {
    const repo = addSplits(hub)
    const dry = await hfx('pull', 'datasets/org/name', '--include', 'data/train', '--dry-run', '--json')
    expect(dry.code).toBe(0)
    const plan = dry.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.event === 'plan')
    expect(plan.files.map((f: { path: string }) => f.path).sort()).toEqual(['data/train/a.parquet', 'data/train/b.parquet'])

    const run = await hfx('pull', 'datasets/org/name', 'data/train', '--quiet')
    expect(run.code).toBe(0)
    expect(await snapshotFiles(home.cache, repo.head)).toEqual(['data/train/a.parquet', 'data/train/b.parquet'])
  })

  test('--exclude and ls --include read it the same way', async ({ hub, hfx }) => {
    addSplits(hub)
    const excluded = await hfx('ls', 'datasets/org/name', '--exclude', 'data/train', '--flat')
    expect(excluded.stdout.trimEnd().split('\n')).toEqual(['README.md', 'data/test/c.parquet', 'data/train2/z.parquet'])
    const included = await hfx('ls', 'datasets/org/name', '--include', 'data/train', '--flat')
    expect(included.stdout.trimEnd().split('\n')).toEqual(['data/train/a.parquet', 'data/train/b.parquet'])
  })
})

describe('point 5: hostile entries are listed by full path (escaped) by ls and info, refused by pull', () => {
  const HOSTILE = 'a/../../evil\x1b[31m.txt'
  const ESCAPED = 'a/../../evil\\x1b[31m.txt'

  function addHostile(hub: Hub) {
    const repo = hub.addRepo('org/hostile', { 'config.json': '{}' })
    const oid = repo.gitSha1('config.json')
    repo.rawTreeOverride = [
      { type: 'file', path: 'config.json', size: 2, oid },
      { type: 'directory', path: '..' },
      { type: 'file', path: HOSTILE, size: 3, oid },
      { type: 'file', path: '/etc/x', size: 4, oid },
    ]
    return repo
  }

  test('ls and ls --json list every entry and flag the unsafe ones by full path', async ({ hub, hfx }) => {
    const repo = addHostile(hub)
    const run = await hfx('ls', 'org/hostile')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      `org/hostile  main → ${repo.head}`,
      '└── config.json  2 B',
      'UNSAFE /etc/x (4 B): absolute path',
      `UNSAFE ${ESCAPED} (3 B): contains a control character`,
      '3 files, 9 B (9 bytes)',
    ])
    const json = JSON.parse((await hfx('ls', 'org/hostile', '--json')).stdout)
    expect(Object.fromEntries(json.files.map((f: { path: string; unsafe?: string }) => [f.path, f.unsafe]))).toEqual({
      'config.json': undefined,
      [HOSTILE]: 'contains a control character',
      '/etc/x': 'absolute path',
    })
  })

  test('info names them in full too; pull refuses, naming the full path, and writes nothing', async ({ hub, home, hfx }) => {
    addHostile(hub)
    const info = await hfx('info', 'org/hostile')
    expect(info.code).toBe(0)
    expect(info.stdout).toContain(`! UNSAFE ${ESCAPED}: contains a control character`)
    hub.resetLog()
    const pull = await hfx('pull', 'org/hostile')
    expect(pull.code).toBe(PROTOCOL)
    // The first unsafe file listed, whole and JSON-escaped: the terminal never gets the raw escape.
    expect(pull.stderr).toContain(`error: the server listed a file with an unsafe path ${JSON.stringify(HOSTILE)} (contains a control character)`)
    expect(pull.stderr).not.toContain('\x1b')
    expect(await listFiles(home.cache)).toEqual([])
    expect(hub.bytesServed()).toBe(0)
  })
})
