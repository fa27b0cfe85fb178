// Repo paths a hostile mirror could use to write where it should not: a `.git` folder under any name a file
// system takes for it (git's own rules), and a --local-dir's metadata folder. pull refuses before writing
// anything; ls and info, which write nothing, list every entry and mark the unsafe ones.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { listFiles, repoDir } from '../helpers/cache.js'
import { describe, expect, test } from '../helpers/test.js'

const PROTOCOL = 8
const GIT_CONFIG = '[core]\n\tfsmonitor = "touch pwned"\n'

function errorLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.startsWith('error: ')) ?? `(no error line in: ${stderr})`
}

describe('a .git segment, as git refuses it', () => {
  test.for([
    ['.git/config'],
    ['.GIT/config'],
    ['sub/.Git/hooks/post-checkout'],
    ['git~1/config'],
    ['.git. ./config'],
    ['.git::$INDEX_ALLOCATION/config'],
    ['.g\u200cit/config'],
  ])('pull --local-dir refuses %j before writing anything', async ([hostile], { hub, home, hfx }) => {
    hub.addRepo('acme/hooked', { 'config.json': '{}', [hostile]: GIT_CONFIG })
    const out = path.join(home.dir, 'out')
    const run = await hfx('pull', 'acme/hooked', '--local-dir', out)
    expect(run.code).toBe(PROTOCOL)
    expect(errorLine(run.stderr)).toContain(`unsafe path ${JSON.stringify(hostile)} (has a .git segment`)
    expect(await listFiles(out)).toEqual([])
    expect(hub.bytesServed()).toBe(0)
  })

  test('pull into the cache refuses it too: a snapshot is a folder people cd into', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/hooked', { 'config.json': '{}', '.git/config': GIT_CONFIG })
    const run = await hfx('pull', 'acme/hooked')
    expect(run.code).toBe(PROTOCOL)
    expect(errorLine(run.stderr)).toContain('unsafe path ".git/config"')
    expect(await listFiles(repoDir(home.cache, 'acme/hooked'))).toEqual([])
    expect(hub.bytesServed()).toBe(0)
  })

  test('--exclude does not make the repo acceptable: it is hostile as a whole', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/hooked', { 'config.json': '{}', '.git/config': GIT_CONFIG })
    const run = await hfx('pull', 'acme/hooked', '--exclude', '.git/*', '--local-dir', path.join(home.dir, 'out'))
    expect(run.code).toBe(PROTOCOL)
    expect(hub.bytesServed()).toBe(0)
  })
})

describe("a --local-dir's metadata folder .cache/huggingface/", () => {
  const model = Buffer.from('the real weights')

  test.for([
    // Finding 1: the second file's path is hfx's own partial for model.bin, so its bytes would be published.
    ['hfx partial', (etag: string) => `.cache/huggingface/download/model.bin.${etag}.hfx-host-1.partial`],
    ['metadata that claims model.bin is complete', () => '.cache/huggingface/download/model.bin.metadata'],
    ['another case', () => '.Cache/HuggingFace/download/model.bin.metadata'],
  ] as const)('pull --local-dir refuses a repo file there (%s)', async ([, name], { hub, home, hfx }) => {
    const probe = hub.addRepo('acme/probe', { 'model.bin': model })
    const hostile = name(probe.etag('model.bin'))
    hub.addRepo('acme/impostor', { 'model.bin': model, [hostile]: 'evil bytes' })
    const out = path.join(home.dir, 'out')
    const run = await hfx('pull', 'acme/impostor', '--local-dir', out)
    expect(run.code).toBe(PROTOCOL)
    expect(errorLine(run.stderr)).toBe(
      `error: the server listed a file with an unsafe path ${JSON.stringify(hostile)} (inside .cache/huggingface/, a --local-dir's metadata folder); refusing to write anything for it.`,
    )
    expect(run.stderr).toContain("hint: Leave it out with --exclude '.cache/huggingface/*'")
    expect(await listFiles(out)).toEqual([])
    expect(hub.bytesServed()).toBe(0)
  })

  test('left out with --exclude, the rest is pulled and the metadata is hfx\'s own', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/impostor', { 'model.bin': model, '.cache/huggingface/download/model.bin.metadata': 'forged\nforged\n9999999999\n' })
    const out = path.join(home.dir, 'out')
    const run = await hfx('pull', 'acme/impostor', '--exclude', '.cache/huggingface/*', '--local-dir', out)
    expect(run.code).toBe(0)
    expect(await readFile(path.join(out, 'model.bin'))).toEqual(model)
    const meta = (await readFile(path.join(out, '.cache/huggingface/download/model.bin.metadata'), 'utf8')).split('\n')
    expect(meta.slice(0, 2)).toEqual([repo.head, repo.etag('model.bin')])
  })

  test('the cache takes it: there it is a file in the snapshot, away from blobs/ and .locks/', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/impostor', { 'model.bin': model, '.cache/huggingface/download/model.bin.metadata': 'x' })
    const run = await hfx('pull', 'acme/impostor', '--quiet')
    expect(run.code).toBe(0)
    const snap = path.join(repoDir(home.cache, 'acme/impostor'), 'snapshots', repo.head)
    expect(await readFile(path.join(snap, '.cache/huggingface/download/model.bin.metadata'), 'utf8')).toBe('x')
  })
})

describe('ls and info list unsafe entries and mark them', () => {
  const hostileTree = (oid: string) => [
    { type: 'file', path: 'config.json', size: 2, oid },
    { type: 'directory', path: '.git' },
    { type: 'file', path: '.git/config', size: 40, oid },
    { type: 'file', path: '../evil.txt', size: 3, oid },
    { type: 'file', path: '/etc/passwd', size: 4, oid },
    { type: 'file', path: '.cache/huggingface/download/config.json.metadata', size: 5, oid },
  ]

  test('ls: a tree of the safe files, an UNSAFE line per other file by full path, totals of all', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/hostile', { 'config.json': '{}' })
    repo.rawTreeOverride = hostileTree(repo.gitSha1('config.json'))
    const run = await hfx('ls', 'acme/hostile')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      `acme/hostile  main → ${repo.head}`,
      '└── config.json  2 B',
      "UNSAFE ../evil.txt (3 B): has a '..' segment",
      'UNSAFE .cache/huggingface/download/config.json.metadata (5 B): with --local-dir only: inside .cache/huggingface/, a --local-dir\'s metadata folder',
      'UNSAFE .git/config (40 B): has a .git segment, which git itself refuses',
      'UNSAFE /etc/passwd (4 B): absolute path',
      '5 files, 54 B (54 bytes)',
    ])
  })

  test('ls --long marks them the same way; --flat keeps stdout to safe paths and marks the rest on stderr', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/hostile', { 'config.json': '{}' })
    repo.rawTreeOverride = hostileTree(repo.gitSha1('config.json'))
    const long = await hfx('ls', 'acme/hostile', '--long')
    expect(long.code).toBe(0)
    expect(long.stdout).toMatch(/^2 {2}git {2}[0-9a-f]{40} +config\.json$/m)
    expect(long.stdout).toContain('UNSAFE .git/config (40 B): has a .git segment')
    const flat = await hfx('ls', 'acme/hostile', '--flat')
    expect(flat.code).toBe(0)
    expect(flat.stdout).toBe('config.json\n')
    expect(flat.stderr.trimEnd().split('\n').map((l) => l.split(' (')[0])).toEqual([
      'UNSAFE ../evil.txt',
      'UNSAFE .cache/huggingface/download/config.json.metadata',
      'UNSAFE .git/config',
      'UNSAFE /etc/passwd',
    ])
  })

  test('ls --json: every file, exact paths, an `unsafe` reason on the ones pull refuses', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/hostile', { 'config.json': '{}' })
    repo.rawTreeOverride = hostileTree(repo.gitSha1('config.json'))
    const run = await hfx('ls', 'acme/hostile', '--json')
    expect(run.code).toBe(0)
    const files = JSON.parse(run.stdout).files as { path: string; unsafe?: string }[]
    expect(Object.fromEntries(files.map((f) => [f.path, f.unsafe]))).toEqual({
      'config.json': undefined,
      '.git/config': 'has a .git segment, which git itself refuses',
      '../evil.txt': "has a '..' segment",
      '/etc/passwd': 'absolute path',
      '.cache/huggingface/download/config.json.metadata': "with --local-dir only: inside .cache/huggingface/, a --local-dir's metadata folder",
    })
  })

  test('info: counted, named in the notes and in files.unsafe, never read', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/hostile', { 'config.json': '{"model_type":"llama"}', '.git/config': GIT_CONFIG })
    const json = await hfx('info', 'acme/hostile', '--json')
    expect(json.code).toBe(0)
    const s = JSON.parse(json.stdout)
    expect(s.files.files).toBe(2)
    expect(s.files.unsafe).toEqual([{ path: '.git/config', reason: 'has a .git segment, which git itself refuses' }])
    expect(s.notes).toContain('UNSAFE .git/config: has a .git segment, which git itself refuses')
    const text = await hfx('info', 'acme/hostile')
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('  ! UNSAFE .git/config: has a .git segment, which git itself refuses')
    expect(hub.requests.some((r) => r.path.includes('.git'))).toBe(false)
    expect(repo.head).toMatch(/^[0-9a-f]{40}$/)
  })
})
