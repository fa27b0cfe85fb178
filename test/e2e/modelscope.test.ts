// ModelScope through the built CLI: ms://org/name against the ModelScope emulator, into the cache under
// <HF_HOME>/modelscope/hub, with the same resume and verification as Hugging Face repos.
import { readFile, readlink } from 'node:fs/promises'
import path from 'node:path'
import { listFiles, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { llamaTensors } from '../helpers/model-shapes.js'
import { expectedCounts, safetensorsFile } from '../helpers/safetensors-writer.js'
import { describe, expect, test as base, type Hfx, type Home, type RunResult } from '../helpers/test.js'
import { startModelScope, type ModelScope, type MsFileSpec } from '../emulator-modelscope/index.js'

const MiB = 1024 * 1024

type Run = (...args: string[]) => Promise<RunResult>
type MsRun = Run & { token(token: string): Run }

const test = base.extend<{ ms: ModelScope; msfx: MsRun }>({
  ms: async ({}, use) => {
    const ms = await startModelScope()
    await use(ms)
    await ms.close()
  },
  msfx: async ({ ms, hfx }: { ms: ModelScope; hfx: Hfx }, use: (run: MsRun) => Promise<void>) => {
    const env = (token?: string) => ({ MODELSCOPE_DOMAIN: ms.url, MODELSCOPE_API_TOKEN: token })
    await use(Object.assign(hfx.with({ env: env() }), { token: (t: string) => hfx.with({ env: env(t) }) }))
  },
})

/** The ModelScope cache: same layout as huggingface_hub's, beside it under HF_HOME. */
const msCache = (home: Home) => path.join(home.dir, 'modelscope', 'hub')

const TINY: Record<string, MsFileSpec> = {
  'model.safetensors': bytes(1, 3 * MiB), // LFS: redirected to the OSS origin
  'config.json': JSON.stringify({ model_type: 'llama' }),
  'README.md': '# tiny\n',
  'sub/notes.txt': 'nested\n',
}

async function snapshotOf(home: Home, id: string, ref = 'master', type = 'model') {
  const dir = repoDir(msCache(home), id, type)
  const commit = await readFile(path.join(dir, 'refs', ref), 'utf8')
  return { dir, commit, file: (p: string) => path.join(dir, 'snapshots', commit, p) }
}

describe('hfx ls ms://', () => {
  test('lists files with sizes and the sha256 each is verified by', async ({ ms, msfx }) => {
    const repo = ms.addRepo('acme/tiny', TINY)
    const run = await msfx('ls', 'ms://acme/tiny', '--json')
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out.revision).toBe('master')
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/)
    const files = Object.fromEntries(out.files.map((f: { path: string; size: number; hash: string }) => [f.path, f]))
    expect(Object.keys(files).sort()).toEqual(['README.md', 'config.json', 'model.safetensors', 'sub/notes.txt'])
    expect(files['model.safetensors']).toMatchObject({ size: 3 * MiB, hash: repo.sha256('model.safetensors') })
    expect(files['sub/notes.txt'].hash).toBe(repo.sha256('sub/notes.txt'))

    const text = await msfx('ls', 'ms://acme/tiny')
    expect(text.stdout).toContain(`acme/tiny  master → ${out.commit}`)
    expect(text.stdout).toMatch(/4 files/)
  })

  test('a dataset listed over several pages', async ({ ms, msfx }) => {
    const files: Record<string, MsFileSpec> = {}
    for (let i = 0; i < 130; i++) files[`data/part-${String(i).padStart(3, '0')}.jsonl`] = `{"i":${i}}\n`
    ms.addRepo('acme/rows', files, { type: 'dataset' })
    const run = await msfx('ls', 'ms://datasets/acme/rows', '--flat')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim().split('\n')).toHaveLength(130)
    const pages = ms.requests.filter((r) => r.path.includes('/repo/tree'))
    expect(pages.map((r) => new URL(r.path, ms.url).searchParams.get('PageNumber'))).toEqual(['1', '2'])
  })
})

describe('hfx pull ms://', () => {
  test('writes the huggingface_hub layout under HF_HOME/modelscope/hub, verified, and a second pull fetches nothing', async ({ ms, msfx, home }) => {
    const repo = ms.addRepo('acme/tiny', TINY)
    const run = await msfx('pull', 'ms://acme/tiny')
    expect(run.code, run.stderr).toBe(0)
    const snap = await snapshotOf(home, 'acme/tiny')
    for (const p of Object.keys(TINY)) {
      expect(await sha256File(snap.file(p))).toBe(repo.sha256(p))
      // Named by sha256 and linked relatively, as huggingface_hub links LFS blobs.
      expect(await readlink(snap.file(p))).toBe(path.join(...Array(p.split('/').length + 1).fill('..'), 'blobs', repo.sha256(p)))
    }
    expect((await listFiles(path.join(snap.dir, 'blobs'))).sort()).toEqual(Object.keys(TINY).map((p) => repo.sha256(p)).sort())
    // LFS bytes came from object storage, after a redirect from the API.
    expect(ms.requests.some((r) => r.origin === 'cdn' && r.filePath === 'model.safetensors' && r.status === 206)).toBe(true)

    ms.resetLog()
    const again = await msfx('pull', 'ms://acme/tiny')
    expect(again.code, again.stderr).toBe(0)
    expect(ms.bytesServed()).toBe(0)
    expect(ms.requests.filter((r) => r.origin === 'cdn')).toEqual([])
  })

  test('a connection reset mid-body resumes where it stopped', async ({ ms, msfx, home }) => {
    const SIZE = 4 * MiB
    const repo = ms.addRepo('acme/reset', { 'model.safetensors': bytes(2, SIZE) })
    ms.inject({ filePath: 'model.safetensors', kind: 'reset', afterBytes: 2 * MiB })
    const run = await msfx('pull', 'ms://acme/reset', '--connections', '1')
    expect(run.code, run.stderr).toBe(0)
    const snap = await snapshotOf(home, 'acme/reset')
    expect(await sha256File(snap.file('model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    const gets = ms.requests.filter((r) => r.origin === 'cdn' && r.filePath === 'model.safetensors')
    expect(gets.length).toBeGreaterThanOrEqual(2)
    // Resumed, not restarted: a restart would serve at least SIZE + 2 MiB.
    expect(ms.bytesServed('model.safetensors')).toBeLessThan(SIZE + MiB)
  })

  test('a corrupt byte fails the sha256 check; the file is fetched again and only the good bytes are kept', async ({ ms, msfx, home }) => {
    const SIZE = 2 * MiB
    const repo = ms.addRepo('acme/corrupt', { 'model.safetensors': bytes(3, SIZE), 'config.json': '{}' })
    ms.inject({ filePath: 'model.safetensors', kind: 'corrupt', offset: 12345 })
    const run = await msfx('pull', 'ms://acme/corrupt')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/sha256 mismatch/)
    const snap = await snapshotOf(home, 'acme/corrupt')
    expect(await sha256File(snap.file('model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(ms.bytesServed('model.safetensors')).toBe(2 * SIZE)
  })

  test('a 503 from the API is retried, and an expired storage URL is located again', async ({ ms, msfx, home }) => {
    const repo = ms.addRepo('acme/flaky', { 'model.safetensors': bytes(8, 1 * MiB) })
    ms.inject({ kind: 'status', status: 503, headers: { 'Retry-After': '0' } })
    ms.inject({ filePath: 'model.safetensors', kind: 'expire' })
    const run = await msfx('pull', 'ms://acme/flaky')
    expect(run.code, run.stderr).toBe(0)
    expect(ms.requests[0]!.status).toBe(503)
    const snap = await snapshotOf(home, 'acme/flaky')
    expect(await sha256File(snap.file('model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    // Two probes of the API URL: the first location expired, the second one served the bytes.
    const probes = ms.requests.filter((r) => r.origin === 'hub' && r.filePath === 'model.safetensors')
    expect(probes.map((r) => r.status)).toEqual([302, 302])
  })

  test('@tag pulls the tagged files and writes refs/<tag>', async ({ ms, msfx, home }) => {
    const repo = ms.addRepo('acme/tagged', { 'config.json': '{"v":1}', 'weights.bin': bytes(4, 64 * 1024) })
    repo.tag('v1.0')
    repo.commit({ 'config.json': '{"v":2}', 'weights.bin': bytes(5, 64 * 1024) })
    const run = await msfx('pull', 'ms://acme/tagged@v1.0')
    expect(run.code, run.stderr).toBe(0)
    const snap = await snapshotOf(home, 'acme/tagged', 'v1.0')
    expect(await readFile(snap.file('config.json'), 'utf8')).toBe('{"v":1}')
    expect(await sha256File(snap.file('weights.bin'))).toBe(repo.sha256('weights.bin', 'v1.0'))
    const fileGets = ms.requests.filter((r) => r.path.includes('/repo?'))
    expect(fileGets.every((r) => new URL(r.path, ms.url).searchParams.get('Revision') === 'v1.0')).toBe(true)

    const master = await msfx('pull', 'ms://acme/tagged')
    expect(master.code, master.stderr).toBe(0)
    const head = await snapshotOf(home, 'acme/tagged')
    expect(head.commit).not.toBe(snap.commit)
    expect(await readFile(head.file('config.json'), 'utf8')).toBe('{"v":2}')
  })

  test('HF_HUB_OFFLINE=1 answers ms://org/name from refs/master, the ModelScope default branch', async ({ ms, msfx, hfx }) => {
    ms.addRepo('acme/offline', TINY)
    const online = await msfx('pull', 'ms://acme/offline', '--quiet')
    expect(online.code, online.stderr).toBe(0)
    ms.requests.length = 0
    const offline = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url, HF_HUB_OFFLINE: '1' } })('pull', 'ms://acme/offline', '--quiet')
    expect(offline.code, offline.stderr).toBe(0)
    expect(offline.stdout).toBe(online.stdout)
    expect(ms.requests).toEqual([])
    const verify = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('cache', 'verify', 'ms://acme/offline', '--offline')
    expect(verify.code, verify.stderr).toBe(0)
    // ls answers from the same snapshot (refs/master), marked, without a request.
    const ls = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url, HF_HUB_OFFLINE: '1' } })('ls', 'ms://acme/offline', '--flat')
    expect(ls.code, ls.stderr).toBe(0)
    expect(ls.stdout.split('\n').filter(Boolean).sort()).toEqual(Object.keys(TINY).sort())
    expect(ls.stderr).toMatch(/^offline: from the cache, commit [0-9a-f]{40} /)
    expect(ms.requests).toEqual([])
  })

  test('MODELSCOPE_ENDPOINT (the modelscope library\'s newer name) works alone and wins over MODELSCOPE_DOMAIN; cache ls lists both caches, marked ms://', async ({ ms, hfx, hub }) => {
    ms.addRepo('acme/ep', TINY)
    hub.addRepo('acme/hf', { 'a.json': '{}' })
    const run = await hfx.with({ env: { MODELSCOPE_ENDPOINT: ms.url, MODELSCOPE_DOMAIN: 'http://127.0.0.1:9' } })('pull', 'ms://acme/ep', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect((await hfx('pull', 'acme/hf', '--quiet')).code).toBe(0)

    // No --hub: both caches, the ModelScope repos marked as `hfx cache rm` and `pull` take them.
    const list = await hfx('cache', 'ls')
    expect(list.code, list.stderr).toBe(0)
    const lines = list.stdout.trim().split('\n')
    expect(lines.slice(1, 3).map((l) => l.split(/\s+/)[0])).toEqual(['acme/hf', 'ms://acme/ep'])
    expect(lines.at(-1)).toMatch(/^2 repos, .* on disk in .*\/hub and .*\/modelscope\/hub$/)
    const json = JSON.parse((await hfx('cache', 'ls', '--json')).stdout)
    expect(json.repos.map((r: { repo: string; hub: string }) => [r.repo, r.hub])).toEqual([['acme/hf', 'huggingface'], ['ms://acme/ep', 'modelscope']])
    expect(Object.keys(json.cacheDirs)).toEqual(['huggingface', 'modelscope'])
    // One hub when asked for; the detail of an ms:// repo keeps its mark.
    const only = JSON.parse((await hfx('--hub', 'modelscope', 'cache', 'ls', '--json')).stdout)
    expect(only.repos.map((r: { repo: string }) => r.repo)).toEqual(['ms://acme/ep'])
    const detail = await hfx('cache', 'ls', 'ms://acme/ep')
    expect(detail.stdout).toMatch(/^ms:\/\/acme\/ep  model  /)
  })

  test('a dataset pull goes to datasets--org--name', async ({ ms, msfx, home }) => {
    const repo = ms.addRepo('acme/rows', { 'train.jsonl': '{"a":1}\n', 'big.parquet': bytes(6, 200 * 1024) }, { type: 'dataset' })
    const run = await msfx('pull', 'ms://datasets/acme/rows')
    expect(run.code, run.stderr).toBe(0)
    const snap = await snapshotOf(home, 'acme/rows', 'master', 'dataset')
    expect(await sha256File(snap.file('big.parquet'))).toBe(repo.sha256('big.parquet'))
    expect(await readFile(snap.file('train.jsonl'), 'utf8')).toBe('{"a":1}\n')
  })
})

describe('errors', () => {
  test('a missing repo: exit 3, a ModelScope hint', async ({ ms, msfx }) => {
    const run = await msfx('pull', 'ms://acme/nope')
    expect(run.code).toBe(3)
    expect(run.stderr).toContain(`repository acme/nope was not found on ${ms.url}`)
    expect(run.stderr).toContain(`${ms.url}/models/acme/nope`)
    expect(run.stderr).toContain('MODELSCOPE_API_TOKEN')
  })

  test('an unknown revision: exit 3, naming the branches and tags there are', async ({ ms, msfx }) => {
    ms.addRepo('acme/tiny', { 'config.json': '{}' }).tag('v1.0')
    const run = await msfx('ls', 'ms://acme/tiny@v9')
    expect(run.code).toBe(3)
    expect(run.stderr).toContain("revision 'v9' does not exist in acme/tiny")
    expect(run.stderr).toContain('Branches: master; tags: v1.0')
  })

  test('an unsafe path in the listing stops the pull before anything is written', async ({ ms, msfx, home }) => {
    const repo = ms.addRepo('acme/evil', { 'config.json': '{}' })
    repo.rawFilesOverride = [{ Name: 'x', Path: '../../escape.txt', Type: 'blob', Size: 1, Sha256: 'a'.repeat(64), IsLFS: false }]
    const run = await msfx('pull', 'ms://acme/evil')
    expect(run.code).toBe(8)
    expect(run.stderr).toContain('unsafe path "../../escape.txt"')
    expect(await listFiles(msCache(home))).toEqual([])
  })

  test('a file listed without a Sha256 is refused, not downloaded unverified', async ({ ms, msfx }) => {
    const repo = ms.addRepo('acme/nohash', { 'config.json': '{}', 'model.bin': bytes(7, 1024) })
    repo.omitSha256.add('model.bin')
    const run = await msfx('pull', 'ms://acme/nohash')
    expect(run.code).toBe(8)
    expect(run.stderr).toContain('listed model.bin in acme/nohash without a Sha256')
    expect(ms.bytesServed()).toBe(0)
  })
})

describe('token', () => {
  test('MODELSCOPE_API_TOKEN reaches the API only, and is never printed', async ({ ms, msfx, home }) => {
    const TOKEN = 'ms-0123456789abcdef-secret'
    const repo = ms.addRepo('acme/private', TINY, { private: true })
    ms.addToken(TOKEN, ['acme/private'])

    const anonymous = await msfx('pull', 'ms://acme/private')
    expect(anonymous.code).toBe(3)
    expect(anonymous.stderr).toContain('MODELSCOPE_API_TOKEN')

    ms.resetLog()
    const run = await msfx.token(TOKEN)('pull', 'ms://acme/private')
    expect(run.code, run.stderr).toBe(0)
    const snap = await snapshotOf(home, 'acme/private')
    expect(await sha256File(snap.file('model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    const api = ms.requests.filter((r) => r.origin === 'hub')
    expect(api.length).toBeGreaterThan(0)
    expect(api.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true)
    const oss = ms.requests.filter((r) => r.origin === 'cdn')
    expect(oss.length).toBeGreaterThan(0)
    expect(oss.some((r) => r.headers.authorization !== undefined)).toBe(false)
    expect(run.stdout + run.stderr).not.toContain(TOKEN)

    const wrong = await msfx.token('ms-wrong-token-value')('pull', 'ms://acme/private')
    expect(wrong.code).toBe(4)
    expect(wrong.stderr).toContain('ModelScope refused access to acme/private with the token from MODELSCOPE_API_TOKEN')
    expect(wrong.stdout + wrong.stderr).not.toContain('ms-wrong-token-value')
  })
})

describe('hfx info ms://', () => {
  test('reads config.json and the safetensors header by Range, not the weights', async ({ ms, msfx }) => {
    const shape = { layers: 2, hidden: 64, intermediate: 160, heads: 8, kvHeads: 2, vocab: 300 }
    const tensors = llamaTensors(shape)
    const file = safetensorsFile(tensors)
    const config = {
      architectures: ['LlamaForCausalLM'], model_type: 'llama', num_hidden_layers: 2, hidden_size: 64, intermediate_size: 160,
      num_attention_heads: 8, num_key_value_heads: 2, vocab_size: 300, torch_dtype: 'bfloat16',
    }
    ms.addRepo('acme/llama-tiny', { 'config.json': JSON.stringify(config), 'model.safetensors': { content: file, lfs: true } })
    const run = await msfx('info', 'ms://acme/llama-tiny', '--json')
    expect(run.code, run.stderr).toBe(0)
    const s = JSON.parse(run.stdout)
    expect(s.repo).toMatchObject({ id: 'acme/llama-tiny', revision: 'master' })
    expect(s.architecture).toMatchObject({ architectures: ['LlamaForCausalLM'], layers: 2, attentionHeads: 8, kvHeads: 2 })
    expect(s.safetensors.params.total).toBe(expectedCounts(tensors).total)
    expect(s.bytesRead).toBeLessThan(file.length)
    const oss = ms.requests.filter((r) => r.origin === 'cdn')
    expect(oss.length).toBeGreaterThan(0)
    expect(oss.every((r) => r.range && /^bytes=0-\d+$/.test(r.range))).toBe(true)
  })
})
