// `hfx lock` and `hfx cache key` end to end: the built CLI against the emulators, reading the lockfile it
// writes, moving branches under it, and checking what was asked of the Hub.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytes } from '../helpers/files.js'
import { describe, expect } from '../helpers/test.js'
import { test } from '../helpers/with-modelscope.js'

const MiB = 1024 * 1024


const MODEL = {
  'config.json': '{"model_type":"llama"}',
  'model.safetensors': bytes(1, 2 * MiB),
  'README.md': '# tiny\n',
}
const ROWS = {
  'data/train.jsonl': '{"x":1}\n',
  'data/test.jsonl': '{"x":2}\n',
  'README.md': '# rows\n',
}

describe('hfx lock', () => {
  test('locks a model and a dataset with --include: commits, paths, sizes and hashes, one file a line', async ({ hub, hfx, home }) => {
    const model = hub.addRepo('acme/tiny', MODEL)
    const rows = hub.addRepo('acme/rows', ROWS, { type: 'dataset' })

    const first = await hfx('lock', 'add', 'acme/tiny')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe(`+ acme/tiny@main at ${model.head} (3 files)\nwrote hfx.lock\n`)
    const second = await hfx('lock', 'add', 'datasets/acme/rows', '--include', 'data/*')
    expect(second.code, second.stderr).toBe(0)

    const text = await readFile(path.join(home.dir, 'hfx.lock'), 'utf8')
    const lock = JSON.parse(text)
    expect(lock.version).toBe(1)
    expect(lock.repos.map((r: { id: string }) => r.id)).toEqual(['acme/rows', 'acme/tiny']) // sorted by id
    expect(lock.repos[0]).toEqual({
      hub: 'huggingface',
      type: 'dataset',
      id: 'acme/rows',
      revision: 'main',
      commit: rows.head,
      include: ['data/*'],
      exclude: [],
      files: [
        { path: 'data/test.jsonl', size: 8, gitOid: rows.gitSha1('data/test.jsonl') },
        { path: 'data/train.jsonl', size: 8, gitOid: rows.gitSha1('data/train.jsonl') },
      ],
    })
    expect(lock.repos[1].files).toEqual([
      { path: 'README.md', size: 7, gitOid: model.gitSha1('README.md') },
      { path: 'config.json', size: 22, gitOid: model.gitSha1('config.json') },
      { path: 'model.safetensors', size: 2 * MiB, sha256: model.sha256('model.safetensors') },
    ])
    // One file a line, so a changed file is a one-line diff.
    expect(text).toContain(`\n        {"path":"model.safetensors","size":${2 * MiB},"sha256":"${model.sha256('model.safetensors')}"}\n`)

    // Resolving asked the API only: no file was fetched, from the Hub or the CDN.
    expect(hub.requests.filter((r) => r.origin === 'cdn' || r.path.includes('/resolve/'))).toEqual([])

    // A bare `hfx lock` shows what is pinned, without the Hub.
    hub.resetLog()
    const show = await hfx('lock')
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toBe(`datasets/acme/rows@main  ${rows.head}  2 files, 16 B  --include data/*\nacme/tiny@main  ${model.head}  3 files, 2.10 MB\n`)
    expect(hub.requests).toEqual([])
  })

  test('--check reports a moved branch with exit 10, leaves the lock alone; --update rewrites it', async ({ hub, hfx, home }) => {
    const model = hub.addRepo('acme/tiny', MODEL)
    hub.addRepo('acme/rows', ROWS, { type: 'dataset' })
    expect((await hfx('lock', 'add', 'acme/tiny')).code).toBe(0)
    expect((await hfx('lock', 'add', 'datasets/acme/rows')).code).toBe(0)
    const lockPath = path.join(home.dir, 'hfx.lock')
    const pinned = await readFile(lockPath, 'utf8')

    const fresh = await hfx('lock', '--check')
    expect(fresh.code, fresh.stderr).toBe(0)
    expect(fresh.stdout).toBe('hfx.lock: up to date\n')

    const before = model.head
    const after = model.commit({ ...MODEL, 'config.json': '{"model_type":"qwen2"}', 'tokenizer.json': '{}' })
    const check = await hfx('lock', '--check')
    expect(check.code).toBe(10)
    expect(check.stdout).toBe(
      [
        `~ acme/tiny: main moved from ${before} to ${after}`,
        `    ~ config.json: gitOid ${model.gitSha1('config.json', before)} → ${model.gitSha1('config.json')}`,
        '    + tokenizer.json (2 B)',
        '',
      ].join('\n'),
    )
    expect(check.stderr).toBe('error: hfx.lock is out of date: 1 of 2 repos changed on the Hub.\nhint: Review the changes above, then write them with: hfx lock --update\n')
    expect(await readFile(lockPath, 'utf8')).toBe(pinned)

    const update = await hfx('lock', '--update')
    expect(update.code, update.stderr).toBe(0)
    expect(update.stdout).toMatch(new RegExp(`^~ acme/tiny: main moved from ${before} to ${after}\n[^]*wrote hfx\\.lock\n$`))
    const lock = JSON.parse(await readFile(lockPath, 'utf8'))
    expect(lock.repos[1]).toMatchObject({ id: 'acme/tiny', commit: after })
    expect(lock.repos[1].files.map((f: { path: string }) => f.path)).toContain('tokenizer.json')
    expect((await hfx('lock', '--check')).stdout).toBe('hfx.lock: up to date\n')
  })

  test('--update names one repo and leaves the others pinned; a pinned commit never moves', async ({ hub, hfx, home }) => {
    const a = hub.addRepo('acme/a', { 'x.txt': 'a1' })
    const b = hub.addRepo('acme/b', { 'x.txt': 'b1' })
    const bFirst = b.head
    expect((await hfx('lock', 'add', 'acme/a')).code).toBe(0)
    expect((await hfx('lock', 'add', `acme/b@${bFirst}`)).code).toBe(0)
    a.commit({ 'x.txt': 'a2' })
    b.commit({ 'x.txt': 'b2' })
    const lockPath = path.join(home.dir, 'hfx.lock')

    const other = await hfx('lock', '--update', 'acme/b')
    expect(other.stdout).toBe('hfx.lock: up to date\n') // b is locked at a commit, which cannot move
    const one = await hfx('lock', '--update', 'acme/a')
    expect(one.code, one.stderr).toBe(0)
    const lock = JSON.parse(await readFile(lockPath, 'utf8'))
    expect(lock.repos.map((r: { commit: string }) => r.commit)).toEqual([a.head, bFirst])

    const missing = await hfx('lock', '--update', 'acme/c')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^error: acme\/c is not in hfx\.lock\.\nhint: Add it with: hfx lock add acme\/c\n$/)
  })

  test('a hand-edited lock is refused with its line and field, exit 2', async ({ hub, hfx, home }) => {
    hub.addRepo('acme/tiny', MODEL)
    expect((await hfx('lock', 'add', 'acme/tiny', '--file', 'models.lock')).code).toBe(0)
    const file = path.join(home.dir, 'models.lock')
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace('"path":"config.json"', '"path":"../../.bashrc"'))
    for (const args of [['lock', '--file', 'models.lock'], ['lock', '--check', '--file', 'models.lock'], ['cache', 'key', '--locked', 'models.lock']]) {
      const run = await hfx(...args)
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/^error: models\.lock line 14: repos\[0\]\.files\[1\]\.path is not a path hfx will write \(has a '\.\.' segment\), found "\.\.\/\.\.\/\.bashrc"\.\nhint: /)
    }
  })

  test('no lockfile yet, and offline', async ({ hub, hfx }) => {
    hub.addRepo('acme/tiny', MODEL)
    const none = await hfx('lock', '--check')
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^error: there is no lockfile at hfx\.lock\.\nhint: Create it with: hfx lock add/)
    const offline = await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('lock', 'add', 'acme/tiny')
    expect(offline.code).toBe(9)
    expect(hub.requests).toEqual([])
  })

  test('a ModelScope repo beside a Hugging Face one: one lock, each resolved on its own hub', async ({ hub, ms, both, home }) => {
    const hf = hub.addRepo('acme/tiny', MODEL)
    const msRepo = ms.addRepo('acme/tiny', { 'config.json': '{"model_type":"qwen2"}', 'model.safetensors': bytes(2, 1 * MiB) })
    expect((await both('lock', 'add', 'acme/tiny', '--include', '*.json')).code).toBe(0)
    const add = await both('lock', 'add', 'ms://acme/tiny')
    expect(add.code, add.stderr).toBe(0)
    // ModelScope gives no head commit: the one pinned is hfx's snapshot id, derived from the file list.
    expect(add.stdout).toMatch(/^\+ ms:\/\/acme\/tiny@master at [0-9a-f]{40} \(2 files\)\nwrote hfx\.lock\n$/)

    const lock = JSON.parse(await readFile(path.join(home.dir, 'hfx.lock'), 'utf8'))
    expect(lock.repos.map((r: { hub: string; commit: string }) => [r.hub, r.commit])).toEqual([
      ['huggingface', hf.head],
      ['modelscope', add.stdout.split(' ')[3]],
    ])
    // ModelScope lists a sha256 for every file, and no git blob id: every entry is pinned by sha256.
    expect(lock.repos[1]).toMatchObject({
      revision: 'master',
      files: [
        { path: 'config.json', size: 22, sha256: msRepo.sha256('config.json') },
        { path: 'model.safetensors', size: MiB, sha256: msRepo.sha256('model.safetensors') },
      ],
    })

    msRepo.commit({ 'config.json': '{"model_type":"qwen3"}' })
    const check = await both('lock', '--check')
    expect(check.code).toBe(10)
    expect(check.stdout).toMatch(new RegExp(`^~ ms://acme/tiny: master moved from ${lock.repos[1].commit} to (?!${lock.repos[1].commit})[0-9a-f]{40}\n    ~ config.json: sha256 [0-9a-f]{64} → ${msRepo.sha256('config.json')}\n    - model.safetensors\n$`))
  })
})

describe('hfx cache key', () => {
  test('the same across reformatting, new when a commit changes', async ({ hub, hfx, home }) => {
    const model = hub.addRepo('acme/tiny', MODEL)
    hub.addRepo('acme/rows', ROWS, { type: 'dataset' })
    expect((await hfx('lock', 'add', 'acme/tiny')).code).toBe(0)
    expect((await hfx('lock', '--file', 'ci.lock', 'add', 'datasets/acme/rows')).code).toBe(0) // --file before add works too
    expect((await hfx('lock', 'add', 'acme/tiny', '--file', 'ci.lock')).code).toBe(0)
    const file = path.join(home.dir, 'ci.lock')

    hub.resetLog()
    const key = await hfx('cache', 'key', '--locked', 'ci.lock')
    expect(key.code, key.stderr).toBe(0)
    expect(key.stdout).toMatch(/^hfx-[0-9a-f]{16}\n$/)
    expect(hub.requests).toEqual([]) // reads the lock only
    expect((await hfx('cache', 'key')).stdout).not.toBe(key.stdout) // hfx.lock pins one repo, ci.lock two

    // Reformatted (one line, repos in another order): the same content, the same key.
    const lock = JSON.parse(await readFile(file, 'utf8'))
    await writeFile(file, JSON.stringify({ repos: [...lock.repos].reverse(), version: 1 }))
    expect((await hfx('cache', 'key', '--locked', 'ci.lock')).stdout).toBe(key.stdout)

    model.commit({ ...MODEL, 'README.md': '# tiny v2\n' })
    expect((await hfx('lock', '--update', '--file', 'ci.lock')).code).toBe(0)
    const moved = await hfx('cache', 'key', '--locked', 'ci.lock')
    expect(moved.stdout).toMatch(/^hfx-[0-9a-f]{16}\n$/)
    expect(moved.stdout).not.toBe(key.stdout)

    const none = await hfx('cache', 'key', '--locked', 'nope.lock')
    expect(none.code).toBe(2)
  })
})
