// HF_HUB_OFFLINE=1 answers from the cached snapshot, marked as such, without a single request: `pull --dry-run`
// shows the plan (every file cached), `ls` lists the cached files, `info` reads config.json and the
// safetensors headers from the cached blobs. A repo that is not cached is the offline error (exit 9).
import { rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { llamaTensors } from '../helpers/model-shapes.js'
import { expectedCounts, safetensorsFile } from '../helpers/safetensors-writer.js'
import { describe, expect, test } from '../helpers/test.js'

const OFFLINE = { env: { HF_HUB_OFFLINE: '1' } }

describe('HF_HUB_OFFLINE=1 answers from the cache', () => {
  test('pull --dry-run shows the plan from the cached snapshot, in text and --json; a missing file is the offline error', async ({ hub, hfx }) => {
    hub.addRepo('acme/off', { 'a.json': '{}', 'w.safetensors': { content: Buffer.alloc(5000, 7), lfs: true } })
    const online = await hfx('pull', 'acme/off', '--quiet')
    expect(online.code, online.stderr).toBe(0)
    hub.resetLog()
    const offline = hfx.with(OFFLINE)

    const text = await offline('pull', 'acme/off', '--dry-run')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^acme\/off {2}main → [0-9a-f]{40} \(dry run: nothing downloaded\)/)
    expect(text.stdout).toMatch(/cached +2 B +a\.json/)
    expect(text.stdout).toMatch(/cached +5\.00 kB +w\.safetensors/)
    expect(text.stdout).toContain('bytes to download: 0')

    const json = await offline('pull', 'acme/off', '--dry-run', '--json')
    expect(json.code, json.stderr).toBe(0)
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(events.map((e) => e.event)).toEqual(['plan'])
    expect(events[0]).toMatchObject({ dryRun: true, totalFiles: 2, downloadFiles: 0, downloadBytes: 0, cachedBytes: 5002, path: online.stdout.trim() })
    expect(events[0].files.map((f: { status: string }) => f.status)).toEqual(['cached', 'cached'])
    expect(hub.requests).toEqual([])

    await rm(path.join(online.stdout.trim(), 'w.safetensors'))
    const missing = await offline('pull', 'acme/off', '--dry-run')
    expect(missing.code).toBe(9)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toContain('is incomplete: 1 of 2 files is missing (w.safetensors)')
  })

  test('ls lists the cached snapshot, marked as from the cache, in text, --flat and --json; a repo not cached is exit 9', async ({ hub, hfx, home }) => {
    const repo = hub.addRepo('acme/tabs', { 'README.md': '# t', 'data/train.csv': 'a,b\n1,2\n', 'data/test.csv': 'a,b\n' }, { type: 'dataset' })
    expect((await hfx('pull', 'datasets/acme/tabs', 'data/train.csv', 'README.md', '--quiet')).code).toBe(0)
    hub.resetLog()
    const offline = hfx.with(OFFLINE)

    const text = await offline('ls', 'datasets/acme/tabs')
    expect(text.code, text.stderr).toBe(0)
    const lines = text.stdout.trim().split('\n')
    expect(lines[0]).toBe(`offline: from the cache, commit ${repo.head} (HF_HUB_OFFLINE is set; only the files pulled are shown)`)
    expect(text.stdout).toContain('train.csv')
    expect(text.stdout).not.toContain('test.csv') // not pulled, so not in the cache
    expect(lines.at(-1)).toMatch(/^2 files, /)

    // A link planted in a shared cache that leads out of the repo's blobs/ is not a cached file: never listed, never read.
    const snapshot = path.join(home.cache, 'datasets--acme--tabs', 'snapshots', repo.head)
    await symlink('/etc/hostname', path.join(snapshot, 'data', 'planted.csv'))
    const flat = await offline('ls', 'datasets/acme/tabs', 'data', '--flat')
    expect(flat.code, flat.stderr).toBe(0)
    expect(flat.stdout).toBe('data/train.csv\n')
    expect(flat.stderr).toContain('offline: from the cache')

    const json = await offline('ls', 'datasets/acme/tabs', '--json')
    expect(json.code, json.stderr).toBe(0)
    const l = JSON.parse(json.stdout)
    expect(l).toMatchObject({ repo: 'datasets/acme/tabs', commit: repo.head, source: 'cache' })
    expect(l.files.map((f: { path: string }) => f.path)).toEqual(['README.md', 'data/train.csv'])
    expect(l.files[1]).toMatchObject({ size: 8, storage: 'git', hash: repo.gitSha1('data/train.csv') })
    expect(hub.requests).toEqual([])

    expect(JSON.parse((await hfx('ls', 'datasets/acme/tabs', '--json')).stdout).source).toBe('hub')

    const absent = await offline('ls', 'acme/never-pulled')
    expect(absent.code).toBe(9)
    expect(absent.stderr).toContain('error: HF_HUB_OFFLINE is set and acme/never-pulled@main is not in the cache')
    expect(absent.stderr).toContain('hint: Unset HF_HUB_OFFLINE to reach the Hub.')
  })

  test('info reads config.json and the safetensors headers from the cached files, marked; not cached is exit 9', async ({ hub, hfx }) => {
    const shape = { layers: 2, hidden: 32, intermediate: 64, heads: 4, kvHeads: 2, vocab: 100 }
    const config = {
      architectures: ['LlamaForCausalLM'], model_type: 'llama', num_hidden_layers: 2, hidden_size: 32, intermediate_size: 64,
      num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 100, max_position_embeddings: 2048, torch_dtype: 'bfloat16',
    }
    const tensors = llamaTensors(shape)
    const repo = hub.addRepo('acme/llama-off', { 'config.json': JSON.stringify(config), 'model.safetensors': { content: safetensorsFile(tensors), lfs: true } })
    expect((await hfx('pull', 'acme/llama-off', '--quiet')).code).toBe(0)
    hub.resetLog()
    const offline = hfx.with(OFFLINE)

    const json = await offline('info', 'acme/llama-off', '--json')
    expect(json.code, json.stderr).toBe(0)
    const s = JSON.parse(json.stdout)
    expect(s.source).toBe('cache')
    expect(s.repo).toMatchObject({ id: 'acme/llama-off', commit: repo.head })
    expect(s.architecture).toMatchObject({ architectures: ['LlamaForCausalLM'], layers: 2, attentionHeads: 4, kvHeads: 2 })
    expect(s.safetensors.params.total).toBe(expectedCounts(tensors).total)

    const text = await offline('info', 'acme/llama-off')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout.split('\n')[0]).toBe(`offline: from the cache, commit ${repo.head} (HF_HUB_OFFLINE is set; only the files pulled are shown)`)
    expect(text.stdout).toContain('LlamaForCausalLM')
    expect(hub.requests).toEqual([])

    const absent = await offline('info', 'acme/elsewhere')
    expect(absent.code).toBe(9)
    expect(absent.stderr).toContain('error: HF_HUB_OFFLINE is set and acme/elsewhere@main is not in the cache')
  })
})
