// `hfx pull --locked` end to end: a lock written by `hfx lock`, pulled cold and warm against the emulators, with
// the request log as the witness: a cold pull asks no API, a warm one asks nothing; bytes other than the locked
// ones and a commit gone upstream fail with their own exit codes.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cacheProblems } from '../helpers/blob-check.js'
import { readRef, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect } from '../helpers/test.js'
import { test } from '../helpers/with-modelscope.js'

const MiB = 1024 * 1024


const MODEL = {
  'config.json': '{"model_type":"llama"}',
  'model.safetensors': bytes(1, 2 * MiB),
  'tokenizer.json': bytes(2, 1 * MiB),
  'README.md': '# tiny\n',
}
const ROWS = {
  'data/train.jsonl': '{"x":1}\n',
  'data/test.jsonl': '{"x":2}\n',
  'README.md': '# rows\n',
}

const apiCalls = (requests: { path: string }[]) => requests.filter((r) => r.path.includes('/api/')).map((r) => r.path)

describe('hfx pull --locked', () => {
  test('a multi-repo lock: cold, no API call and every file verified; warm, no request at all', async ({ hub, hfx, home }) => {
    const model = hub.addRepo('acme/tiny', MODEL)
    const rows = hub.addRepo('acme/rows', ROWS, { type: 'dataset' })
    expect((await hfx('lock', 'add', 'acme/tiny', '--include', '*.json', '--include', '*.safetensors')).code).toBe(0)
    expect((await hfx('lock', 'add', 'datasets/acme/rows')).code).toBe(0)
    const pinned = model.head
    model.commit({ ...MODEL, 'config.json': '{"model_type":"qwen2"}' }) // main moves on; the lock does not

    hub.resetLog()
    const offline = await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('pull', '--locked')
    expect(offline.code).toBe(9)
    expect(offline.stderr).toMatch(/^error: datasets\/acme\/rows@main is not complete in the cache for hfx\.lock, and HF_HUB_OFFLINE is set\./m)
    expect(hub.requests).toEqual([])
    const cold = await hfx('pull', '--locked')
    expect(cold.code, cold.stderr).toBe(0)
    const rowsSnap = path.join(repoDir(home.cache, 'acme/rows', 'dataset'), 'snapshots', rows.head)
    const modelSnap = path.join(repoDir(home.cache, 'acme/tiny'), 'snapshots', pinned)
    expect(cold.stdout).toBe(`${rowsSnap}\n${modelSnap}\n`) // the lock's order: by id
    expect(apiCalls(hub.requests)).toEqual([])
    // Only the locked files, at the locked commit, each one request to the Hub (LFS: then the CDN).
    const resolved = hub.requests.filter((r) => r.origin === 'hub').map((r) => decodeURIComponent(r.path))
    expect(resolved.every((p) => p.includes(`/resolve/${pinned}/`) || p.includes(`/resolve/${rows.head}/`))).toBe(true)
    expect(new Set(resolved.map((p) => p.split('/').slice(-2).join('/')))).toEqual(
      new Set([`${pinned}/config.json`, `${pinned}/model.safetensors`, `${pinned}/tokenizer.json`, `${rows.head}/README.md`, 'data/train.jsonl', 'data/test.jsonl']),
    )
    expect(await readFile(path.join(modelSnap, 'config.json'), 'utf8')).toBe(MODEL['config.json'])
    expect(await sha256File(path.join(modelSnap, 'model.safetensors'))).toBe(model.sha256('model.safetensors', pinned))
    expect(await readFile(path.join(rowsSnap, 'data/train.jsonl'), 'utf8')).toBe(ROWS['data/train.jsonl'])
    expect(await cacheProblems(home.cache, model)).toEqual([])
    expect(await cacheProblems(home.cache, rows)).toEqual([])
    // refs/main names the locked commit, so a loader run offline after the pull finds this snapshot.
    expect(await readRef(home.cache, 'acme/tiny')).toBe(pinned)
    const coldCount = hub.requests.length
    const coldLog = hub.requests.map((r) => `${r.origin} ${r.method} ${r.path}`)

    hub.resetLog()
    const warm = await hfx('pull', '--locked')
    expect(warm.code, warm.stderr).toBe(0)
    expect(warm.stdout).toBe(cold.stdout)
    expect(hub.requests).toEqual([])
    // Offline too: the lock is all a warm pull needs.
    expect((await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('pull', '--locked')).code).toBe(0)
    expect(hub.requests).toEqual([])
    expect(coldCount).toBeGreaterThan(0)
    if (process.env.HFX_SHOW_REQUESTS) process.stderr.write(`pull --locked, 2 repos / 6 files: cold ${coldCount} requests, 0 to /api/; warm 0\n${coldLog.join('\n')}\n`)
  })

  test('one repo of the lock, by name; into --local-dir; refused flags', async ({ hub, hfx, home }) => {
    hub.addRepo('acme/tiny', MODEL)
    const rows = hub.addRepo('acme/rows', ROWS, { type: 'dataset' })
    expect((await hfx('lock', 'add', 'acme/tiny')).code).toBe(0)
    expect((await hfx('lock', 'add', 'datasets/acme/rows', '--file', 'ci.lock')).code).toBe(0)
    expect((await hfx('lock', 'add', 'acme/tiny', '--file', 'ci.lock')).code).toBe(0)

    hub.resetLog()
    const dry = await hfx('pull', '--locked', 'ci.lock', '--dry-run')
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/^datasets\/acme\/rows +main → [0-9a-f]{40} \(dry run: nothing downloaded\)/)
    expect(dry.stdout).toMatch(/\nacme\/tiny +main → [0-9a-f]{40} \(dry run: nothing downloaded\)/)
    expect(hub.requests).toEqual([]) // a dry run needs no file's location: the lock is the plan
    const one = await hfx('pull', 'datasets/acme/rows', '--locked', 'ci.lock')
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toBe(`${path.join(repoDir(home.cache, 'acme/rows', 'dataset'), 'snapshots', rows.head)}\n`)
    expect(hub.requests.every((r) => r.repoId === undefined || r.repoId === 'acme/rows')).toBe(true)
    expect(apiCalls(hub.requests)).toEqual([])

    const local = await hfx('pull', 'acme/tiny', '--locked', '--local-dir', 'out')
    expect(local.code, local.stderr).toBe(0)
    expect(await readFile(path.join(home.dir, 'out', 'config.json'), 'utf8')).toBe(MODEL['config.json'])
    expect(apiCalls(hub.requests)).toEqual([])
    hub.resetLog()
    expect((await hfx('pull', 'acme/tiny', '--locked', '--local-dir', 'out')).code).toBe(0)
    expect(hub.requests).toEqual([]) // the local folder's metadata says it is up to date

    const many = await hfx('pull', '--locked', 'ci.lock', '--local-dir', 'out')
    expect(many.code).toBe(2)
    expect(many.stderr).toMatch(/^error: --local-dir takes one repo, and ci\.lock pins 2\./)
    const swapped = await hfx('pull', '--locked', 'acme/tiny')
    expect(swapped.code).toBe(2)
    expect(swapped.stderr).toBe('error: there is no lockfile at acme/tiny.\nhint: To pull one repo of ./hfx.lock: hfx pull acme/tiny --locked\n')
    const include = await hfx('pull', 'acme/tiny', '--locked', '--include', '*.json')
    expect(include.code).toBe(2)
    expect(include.stderr).toMatch(/^error: --locked pulls what the lock pins; --include cannot change it\./)
    const absent = await hfx('pull', 'acme/other', '--locked')
    expect(absent.code).toBe(2)
    expect(absent.stderr).toBe('error: acme/other is not in hfx.lock.\nhint: Add it with: hfx lock add acme/other\n')
  })

  test('other bytes than the locked ones (a mirror, a changed file) fail with exit 6 naming the file', async ({ hub, hfx, home }) => {
    const model = hub.addRepo('acme/tiny', MODEL)
    expect((await hfx('lock', 'add', 'acme/tiny')).code).toBe(0)
    // Every copy of model.safetensors served has one byte changed: the re-fetch meets it too.
    hub.inject({ kind: 'corrupt', filePath: 'model.safetensors', offset: 1000, times: Number.POSITIVE_INFINITY })
    hub.resetLog()

    const run = await hfx('pull', '--locked')
    expect(run.code).toBe(6)
    expect(run.stderr).toContain(`error: model.safetensors failed its sha256 check (expected ${model.sha256('model.safetensors')}`)
    expect(run.stderr).toMatch(/hint: The server sent other bytes than hfx\.lock pins for acme\/tiny@main at [0-9a-f]{40} .*hfx lock --update acme\/tiny\n$/)
    expect(apiCalls(hub.requests)).toEqual([])
    // Nothing unverified became visible; the other files are in place.
    expect(await cacheProblems(home.cache, model)).toEqual([])
    const snap = path.join(repoDir(home.cache, 'acme/tiny'), 'snapshots', model.head)
    await expect(readFile(path.join(snap, 'model.safetensors'))).rejects.toThrow()
    expect(await readFile(path.join(snap, 'config.json'), 'utf8')).toBe(MODEL['config.json'])
  })

  test('a lock that pins other content than the server names (X-Linked-Etag, git oid) fails with exit 6 per file', async ({ hub, hfx, home }) => {
    const model = hub.addRepo('acme/tiny', MODEL)
    expect((await hfx('lock', 'add', 'acme/tiny', '--include', '*.json', '--include', '*.safetensors')).code).toBe(0)
    const file = path.join(home.dir, 'hfx.lock')
    const lock = JSON.parse(await readFile(file, 'utf8'))
    // From the lock's side, what a server that changed these files under the same commit looks like.
    const pinned = { config: 'f'.repeat(40), weights: 'f'.repeat(64) }
    lock.repos[0].files[0].gitOid = pinned.config
    lock.repos[0].files[1].sha256 = pinned.weights
    await writeFile(file, JSON.stringify(lock))
    const run = await hfx('pull', '--locked')
    expect(run.code).toBe(6)
    expect(run.stderr).toContain(`config.json failed its git-sha1 check (expected ${pinned.config}, got ${model.gitSha1('config.json')})`)
    expect(run.stderr).toContain(`model.safetensors failed its sha256 check (expected ${pinned.weights}, got ${model.sha256('model.safetensors')})`)
    expect(await readFile(path.join(repoDir(home.cache, 'acme/tiny'), 'snapshots', model.head, 'tokenizer.json'))).toEqual(MODEL['tokenizer.json'])
  })

  test('a locked commit gone upstream: exit 3, and the command that moves the pin', async ({ hub, hfx, home }) => {
    hub.addRepo('acme/tiny', MODEL)
    expect((await hfx('lock', 'add', 'acme/tiny')).code).toBe(0)
    const file = path.join(home.dir, 'hfx.lock')
    const gone = 'e'.repeat(40)
    const lock = JSON.parse(await readFile(file, 'utf8'))
    lock.repos[0].commit = gone // as after a force-push dropped the locked commit
    await writeFile(file, JSON.stringify(lock))

    hub.resetLog()
    const run = await hfx('pull', '--locked')
    expect(run.code).toBe(3)
    expect(run.stderr).toBe(
      `error: the commit ${gone} that hfx.lock pins for acme/tiny@main no longer exists upstream (force-pushed away, or the history was rewritten).\n` +
        'hint: Review what changed with `hfx lock --check`, then pin the revision again: hfx lock --update acme/tiny\n',
    )
    expect(apiCalls(hub.requests)).toEqual([])
    expect(hub.requests.length).toBe(1) // the first file's lookup said so; nothing else was asked
  })

  test('ModelScope: one listing confirms the locked snapshot (it has no commits); warm, no request', async ({ ms, both, home }) => {
    const repo = ms.addRepo('acme/tiny', { 'config.json': '{"model_type":"qwen2"}', 'model.safetensors': bytes(3, 1 * MiB) })
    expect((await both('lock', 'add', 'ms://acme/tiny')).code).toBe(0)
    ms.resetLog()
    const cold = await both('pull', '--locked')
    expect(cold.code, cold.stderr).toBe(0)
    const snap = cold.stdout.trim()
    expect(await sha256File(path.join(snap, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    ms.resetLog()
    expect((await both('pull', '--locked')).code).toBe(0)
    expect(ms.requests).toEqual([])

    repo.commit({ 'config.json': '{"model_type":"qwen3"}' })
    const elsewhere = await both('pull', '--locked', '--cache-dir', path.join(home.dir, 'other-cache'))
    expect(elsewhere.code).toBe(3)
    expect(elsewhere.stderr).toMatch(/^error: ms:\/\/acme\/tiny@master now lists other files than hfx\.lock pins \(snapshot [0-9a-f]{40}\)/)
  })
})
