import { expect, test } from 'vitest'
import { renderText, quantizationText } from '../../src/summary/render-text.js'
import type { RepoSummary } from '../../src/summary/summarize-repo.js'

function summary(over: Partial<RepoSummary> = {}): RepoSummary {
  return {
    repo: { id: 'org/m', type: 'model', revision: 'main', commit: 'a'.repeat(40), gated: false, private: false, tags: ['license:mit', ...Array.from({ length: 12 }, (_, i) => `t${i}`)] },
    card: { license: 'mit' },
    files: { files: 3, bytes: 4_300_000_000, byKind: { weights: { files: 2, bytes: 4_200_000_000 }, tokenizer: { files: 1, bytes: 100_000_000 }, other: { files: 0, bytes: 0 } }, weightFormats: [{ format: 'safetensors', files: 2, bytes: 4_200_000_000 }] },
    architecture: { architectures: ['LlamaForCausalLM'], attentionHeads: 32, kvHeads: 8, gqaRatio: 4, headDim: 128, headDimSource: 'derived' },
    safetensors: {
      shards: 2, shardsRead: 2, fileBytes: 4_200_000_000, notCounted: [],
      params: { tensors: 291, total: 8_030_261_248, byDtype: { BF16: 8_030_261_248 }, tensorBytes: 16_060_522_496, scales: { tensors: 0, bytes: 0 }, memory: { stored: 16_060_522_496, bf16: 16_060_522_496, fp8: 8_030_261_248, int4: 4_015_130_624 } },
    },
    notes: Array.from({ length: 12 }, (_, i) => `note ${i}`),
    bytesRead: 42_000,
    requests: 4,
    ...over,
  }
}

test('aligned labels, human units, cut lists, capped notes, the share of the weights read', () => {
  const lines = renderText(summary())
  expect(lines[0]).toBe(`org/m  main → ${'a'.repeat(40)}`)
  const rows = lines.filter((l) => /^ {2}[A-Z]/.test(l))
  expect(new Set(rows.map((l) => l.search(/(?<=\S) {2,}\S/) + /(?<=\S) {2,}/.exec(l)![0].length)).size).toBe(1)
  expect(lines).toContain('  Attention   32 heads, 8 KV heads (GQA 4:1), head dim 128 (hidden/heads)')
  expect(lines).toContain('  Parameters  8.03B (8,030,261,248)')
  expect(lines.find((l) => l.startsWith('  Tags'))).toBe('  Tags        t0, t1, t2, t3, t4, t5, t6, t7, … 4 more')
  expect(lines.filter((l) => l.startsWith('  ! '))).toHaveLength(10)
  expect(lines).toContain('  … 2 more (see --json)')
  expect(lines[lines.length - 1]).toBe('Read 42.0 kB (0.001% of the weights) in 4 file requests to build this.')
  expect(renderText(summary({ bytesRead: 100 })).at(-1)).toBe('Read 100 B (<0.001% of the weights) in 4 file requests to build this.')
})

test('a dataset: its prefix in the title, groups instead of weights', () => {
  const lines = renderText(summary({
    repo: { id: 'org/d', type: 'dataset', revision: 'main', commit: 'b'.repeat(40), gated: false, private: false, tags: [] },
    architecture: undefined, safetensors: undefined, notes: [], bytesRead: 0, requests: 0,
    files: { files: 1, bytes: 5, byKind: { weights: { files: 0, bytes: 0 }, tokenizer: { files: 0, bytes: 0 }, other: { files: 1, bytes: 5 } }, weightFormats: [] },
    dataset: { files: 1, bytes: 5, bySplit: [{ name: 'train', files: 1, bytes: 5 }], byFormat: [{ name: 'parquet', files: 1, bytes: 5 }], byFolder: [{ name: '.', files: 1, bytes: 5, formats: ['parquet'] }] },
  }))
  expect(lines[0]).toMatch(/^datasets\/org\/d {2}main → b{40}$/)
  expect(lines).toContain('By split')
  expect(lines.some((l) => /^ {2}train\s+1 file, 5 B$/.test(l))).toBe(true)
  expect(lines[lines.length - 1]).toBe('Read 0 B in 0 file requests to build this.')
})

test('quantization text', () => {
  expect(quantizationText({ method: 'gptq', bits: 4, groupSize: 128, skipped: ['lm_head'] })).toBe('gptq, 4-bit, group 128, not lm_head')
})

test('KV rows: the rule, per token, constant state and what could not be sized', async () => {
  const { kvRows } = await import('../../src/summary/render-kv.js')
  const { kvModel } = await import('../../src/summary/kv-model.js')
  const { summarizeKv } = await import('../../src/summary/kv-bytes.js')
  const jamba = kvModel({
    model_type: 'jamba', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8,
    attn_layer_period: 8, attn_layer_offset: 4, mamba_d_state: 16, mamba_d_conv: 4, mamba_expand: 2,
  })
  expect(kvRows(summarizeKv(jamba, 4096))).toEqual([
    ['Rule', 'GQA (K + V): 2,048 elements × 4 layers per token'],
    ['Per token', '16.0 KiB (16,384 B) at 16-bit · 8.00 KiB at 8-bit'],
    ['State', '8.72 MB (8.31 MiB) at 16-bit (28 mamba layers, per sequence, whatever the context)'],
    ['At 4K', '75.8 MB (72.3 MiB) at 16-bit · 37.9 MB (36.2 MiB) at 8-bit'],
  ])
  const gemma = kvModel({ model_type: 'gemma2', num_hidden_layers: 4, hidden_size: 64, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 32, sliding_window: 4096 })
  expect(kvRows(summarizeKv(gemma, 8192))[0]).toEqual(['Rule', 'MQA (K + V): 64 elements × 2 layers + 64 elements × 2 layers (at most 4,096 tokens) per token'])
  const unknown = kvModel({ model_type: 'falcon_h1', num_hidden_layers: 4 })
  expect(kvRows(summarizeKv(unknown, 8192))).toEqual([['Not sized', 'Falcon-H1 runs attention and Mamba side by side in every layer']])
})
