// A Hub-compatible mirror (HF_ENDPOINT=https://hf-mirror.com) that proxies `resolve` without the
// X-Linked-Etag / X-Linked-Size / ETag headers: hfx falls back to the tree listing's hashes and sizes.
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { llamaTensors } from '../helpers/model-shapes.js'
import { expectedCounts, safetensorsFile } from '../helpers/safetensors-writer.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

describe('through a mirror that drops the X-Linked-* headers', () => {
  test.scoped({ hubOptions: { mirror: true } })

  test('the emulator really is in mirror mode', async ({ hub }) => {
    hub.addRepo('acme/m0', { 'w.safetensors': bytes(1, 100_000) })
    const res = await fetch(`${hub.url}/acme/m0/resolve/main/w.safetensors`, { method: 'HEAD', redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('x-linked-etag')).toBeNull()
    expect(res.headers.get('x-linked-size')).toBeNull()
  })

  test('ls and pull verify against the tree listing, into the usual cache layout', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m1', { 'config.json': '{}', 'model.safetensors': bytes(2, 3 * MiB) })
    const ls = await hfx('ls', 'acme/m1', '--flat')
    expect(ls.stdout.trim().split('\n')).toEqual(['config.json', 'model.safetensors'])
    const run = await hfx('pull', 'acme/m1')
    expect(run.code, run.stderr).toBe(0)
    const snap = path.join(repoDir(home.cache, 'acme/m1'), 'snapshots', repo.head)
    expect(run.stdout.trim()).toBe(snap)
    expect(await sha256File(path.join(snap, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('a reset resumes and a corrupt byte is caught, with no headers to help', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/m2', { 'model.safetensors': bytes(3, 4 * MiB) })
    hub.inject({ filePath: 'model.safetensors', kind: 'reset', afterBytes: 512 * 1024 })
    hub.inject({ filePath: 'model.safetensors', kind: 'corrupt', offset: 3 * MiB })
    const run = await hfx('pull', 'acme/m2', '--chunk-size', '1M', '--connections', '2')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('sha256 mismatch, downloading it again')
    const snap = path.join(repoDir(home.cache, 'acme/m2'), 'snapshots', repo.head)
    expect(await sha256File(path.join(snap, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('info reads safetensors headers through the mirror', async ({ hub, hfx }) => {
    const tensors = llamaTensors({ layers: 2, hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, vocab: 100 })
    hub.addRepo('acme/m3', {
      'config.json': JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', num_hidden_layers: 2, hidden_size: 64 }),
      'model.safetensors': { content: safetensorsFile(tensors), lfs: true },
    })
    const run = await hfx('info', 'acme/m3', '--json')
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout).safetensors.params.total).toBe(expectedCounts(tensors).total)
  })
})
