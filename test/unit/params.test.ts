import { describe, expect, test } from 'vitest'
import { activeParams, isRoutedExpert, ParamsTally, summarizeParams } from '../../src/summary/params.js'
import type { TensorEntry } from '../../src/summary/safetensors-parse.js'

const BYTES: Record<string, number> = { F32: 4, BF16: 2, F16: 2, F8_E4M3: 1, I32: 4, U32: 4, U8: 1, F8_E8M0: 1 }
function t(name: string, dtype: string, shape: number[]): TensorEntry {
  return { name, dtype, shape, bytes: shape.reduce((a, b) => a * b, 1) * BYTES[dtype]! }
}

describe('summarizeParams', () => {
  test('fp8 block scales are bytes, not parameters', () => {
    const s = summarizeParams([
      t('model.layers.0.mlp.down_proj.weight', 'F8_E4M3', [256, 512]),
      t('model.layers.0.mlp.down_proj.weight_scale_inv', 'F32', [2, 4]),
      t('model.norm.weight', 'BF16', [256]),
    ])
    expect(s.total).toBe(256 * 512 + 256)
    expect(s.byDtype).toEqual({ F8_E4M3: 256 * 512, BF16: 256 })
    expect(s.scales).toEqual({ tensors: 1, bytes: 32 })
    expect(s.tensorBytes).toBe(256 * 512 + 32 + 512)
    expect(s.memory).toEqual({ stored: s.tensorBytes, bf16: s.total * 2, fp8: s.total, int4: s.total / 2 })
  })

  test('GPTQ: qweight unpacks 32/bits per I32; scales, qzeros and g_idx are bookkeeping', () => {
    const s = summarizeParams(
      [
        t('l.q_proj.qweight', 'I32', [64 / 8, 128]),
        t('l.q_proj.scales', 'F16', [1, 128]),
        t('l.q_proj.qzeros', 'I32', [1, 16]),
        t('l.q_proj.g_idx', 'I32', [64]),
        t('l.q_proj.bias', 'F16', [128]),
      ],
      { quantization: { method: 'gptq', bits: 4 } },
    )
    expect(s.total).toBe(64 * 128 + 128)
    expect(s.scales.tensors).toBe(3)
  })

  test('a learned `scales` parameter with no packed weight beside it stays a parameter', () => {
    const s = summarizeParams([t('blocks.0.layer_scale.scales', 'F32', [64]), t('blocks.0.attn.scale', 'F32', [1])])
    expect(s.total).toBe(65)
    expect(s.scales.tensors).toBe(0)
  })

  test('MLX: U32 weight beside scales and biases unpacks by bits; scales and biases are bookkeeping', () => {
    const s = summarizeParams(
      [t('m.weight', 'U32', [128, 8]), t('m.scales', 'BF16', [128, 1]), t('m.biases', 'BF16', [128, 1]), t('n.biases', 'BF16', [4])],
      { quantization: { method: 'mlx', bits: 4 } },
    )
    expect(s.total).toBe(128 * 64 + 4)
    expect(s.scales.tensors).toBe(2)
  })

  test('bitsandbytes nf4: U8 weight holds two values a byte; absmax, quant_map and quant_state are bookkeeping', () => {
    const s = summarizeParams([
      t('m.weight', 'U8', [2048, 1]),
      t('m.weight.absmax', 'F32', [64]),
      t('m.weight.quant_map', 'F32', [16]),
      t('m.weight.quant_state.bitsandbytes__nf4', 'U8', [80]),
    ])
    expect(s.total).toBe(4096)
    expect(s.scales.tensors).toBe(3)
  })

  test('gpt-oss mxfp4: *_blocks unpack 2 a byte, *_scales are bookkeeping, E8M0 is never a parameter', () => {
    const s = summarizeParams([
      t('experts.gate_up_proj_blocks', 'U8', [4, 16, 2, 16]),
      t('experts.gate_up_proj_scales', 'U8', [4, 16, 2]),
      t('x.weight_scale', 'F8_E8M0', [8]),
    ])
    expect(s.total).toBe(4 * 16 * 2 * 16 * 2)
    expect(s.scales.tensors).toBe(2)
  })

  test('MoE: active = total − routed × (1 − k/n); shared experts always count', () => {
    const tensors = [
      t('model.embed_tokens.weight', 'BF16', [100, 10]),
      ...[0, 1, 2, 3].map((e) => t(`model.layers.1.mlp.experts.${e}.up_proj.weight`, 'BF16', [20, 10])),
      t('model.layers.1.mlp.shared_experts.up_proj.weight', 'BF16', [20, 10]),
    ]
    const s = summarizeParams(tensors, { routedExperts: 4, expertsPerToken: 1 })
    expect(s.total).toBe(1000 + 800 + 200)
    expect(s.active).toEqual({ params: 2000 - 800 * 0.75, routedExpertParams: 800, routedExperts: 4, expertsPerToken: 1 })
    // n from the expert indices in the names when config.json does not give it.
    expect(summarizeParams(tensors, { expertsPerToken: 2 }).active?.params).toBe(2000 - 800 * 0.5)
    // No k: no active count.
    expect(summarizeParams(tensors).active).toBeUndefined()
  })

  test('no tensors', () => {
    expect(summarizeParams([])).toMatchObject({ tensors: 0, total: 0, byDtype: {}, scales: { tensors: 0, bytes: 0 } })
  })
})

describe('ParamsTally: shard by shard', () => {
  // Every quantization layout whose rules look at a neighbour, with the neighbours split across shards.
  const tensors = [
    t('l.q_proj.qweight', 'I32', [8, 128]),
    t('l.q_proj.scales', 'F16', [1, 128]),
    t('l.q_proj.qzeros', 'I32', [1, 16]),
    t('m.weight', 'U32', [128, 8]),
    t('m.scales', 'BF16', [128, 1]),
    t('m.biases', 'BF16', [128, 1]),
    t('n.biases', 'BF16', [4]),
    t('b.weight', 'U8', [2048, 1]),
    t('b.weight.absmax', 'F32', [64]),
    t('model.layers.1.mlp.experts.gate_up_proj_blocks', 'U8', [4, 16, 2, 16]),
    t('model.layers.1.mlp.experts.gate_up_proj_scales', 'U8', [4, 16, 2]),
    t('blocks.0.layer_scale.scales', 'F32', [64]),
    t('model.layers.1.mlp.experts.3.up_proj.weight', 'BF16', [20, 10]),
    t('model.norm.weight', 'BF16', [256]),
  ]
  const opts = { quantization: { method: 'gptq', bits: 4 }, expertsPerToken: 1 }

  test('any split into shards, in any order, counts exactly what one pass over every tensor counts', () => {
    const whole = summarizeParams(tensors, opts)
    for (let cut = 0; cut <= tensors.length; cut++) {
      const a = tensors.slice(0, cut)
      const b = tensors.slice(cut)
      expect(new ParamsTally(opts).add(a).add(b).summary()).toEqual(whole)
      expect(new ParamsTally(opts).add(b).add(a).summary()).toEqual(whole)
    }
    const oneEach = new ParamsTally(opts)
    for (const x of [...tensors].reverse()) oneEach.add([x])
    expect(oneEach.summary()).toEqual(whole)
  })

  test('summary() can be asked twice, and more shards added after it', () => {
    const tally = new ParamsTally(opts).add(tensors.slice(0, 5))
    expect(tally.summary()).toEqual(tally.summary())
    expect(tally.add(tensors.slice(5)).summary()).toEqual(summarizeParams(tensors, opts))
  })
})

test.each([
  ['model.layers.3.mlp.experts.17.down_proj.weight', true],
  ['model.layers.3.block_sparse_moe.experts.0.w1.weight', true],
  ['model.layers.3.mlp.experts.gate_up_proj', true],
  ['model.layers.3.mlp.shared_experts.down_proj.weight', false],
  ['model.layers.3.mlp.shared_expert.down_proj.weight', false],
  ['model.layers.3.mlp.gate.weight', false],
])('isRoutedExpert(%s) = %s', (name, want) => {
  expect(isRoutedExpert(name)).toBe(want)
})

test('activeParams refuses k > n and missing inputs', () => {
  expect(activeParams(100, 80, 4, 8)).toBeUndefined()
  expect(activeParams(100, 0, 4, 1)).toBeUndefined()
  expect(activeParams(100, 80, undefined, 1)).toBeUndefined()
})

describe('multi-token-prediction layers (DeepSeek-V3: model.layers.61.* after 61 hidden layers)', () => {
  // Two hidden layers (0, 1) and one MTP layer (2), each with 4 routed experts of 100 parameters and 10 shared.
  const layer = (i: number) => [
    ...[0, 1, 2, 3].map((e) => t(`model.layers.${i}.mlp.experts.${e}.down_proj.weight`, 'BF16', [10, 10])),
    t(`model.layers.${i}.self_attn.o_proj.weight`, 'BF16', [2, 5]),
  ]
  const tensors = [t('model.embed_tokens.weight', 'BF16', [10, 20]), ...layer(0), ...layer(1), ...layer(2), t('model.layers.2.eh_proj.weight', 'BF16', [5, 10])]

  test('counted in the total, left out of the active count, given apart', () => {
    const s = summarizeParams(tensors, { routedExperts: 4, expertsPerToken: 1, mtpFirstLayer: 2 })
    // total: 200 embed + 3 × (400 + 10) + 50 = 1,480; MTP: 410 + 50 = 460
    expect(s.total).toBe(1480)
    expect(s.mtp).toEqual({ layers: 1, params: 460, activeParams: 460 - 300 })
    // model without MTP: 1,020 of which 800 routed; active = 1,020 − 800 × 3/4 = 420
    expect(s.active?.params).toBe(420)
  })

  test('without num_nextn_predict_layers the last layer is an ordinary one', () => {
    const s = summarizeParams(tensors, { routedExperts: 4, expertsPerToken: 1 })
    expect(s.mtp).toBeUndefined()
    expect(s.active?.params).toBe(1480 - 1200 * 0.75)
  })
})
