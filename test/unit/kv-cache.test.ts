// Each attention family's KV rule against figures computed by hand from the public config.json fields
// (copied here field by field; only the fields the rule reads). The arithmetic is in the comment beside each.
import { describe, expect, test } from 'vitest'
import { kvBytes, kvBytesPerToken, summarizeKv } from '../../src/summary/kv-bytes.js'
import { kvModel } from '../../src/summary/kv-model.js'

const K = 1024
const MiB = K * K
const GiB = K * MiB

describe('MHA / GQA / MQA: 2 × layers × KV heads × head dim × bytes', () => {
  test('Llama-3.1-8B: 128 KiB per token, 16 GiB at 128K', () => {
    const m = kvModel({
      model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 131072,
    })
    expect(m).toEqual({ attention: 'GQA', groups: [{ layers: 32, elementsPerToken: 2048 }] })
    // 2 × 32 × 8 × 128 × 2 B = 131,072 B
    expect(kvBytesPerToken(m, 2)).toBe(131_072)
    expect(kvBytesPerToken(m, 1)).toBe(65_536)
    // × 4,096 = 512 MiB; × 32,768 = 4 GiB; × 131,072 = 16 GiB
    expect(summarizeKv(m, 131072).atContexts).toEqual([
      { context: 4096, bytes: { '16-bit': 512 * MiB, '8-bit': 256 * MiB } },
      { context: 32768, bytes: { '16-bit': 4 * GiB, '8-bit': 2 * GiB } },
      { context: 131072, bytes: { '16-bit': 16 * GiB, '8-bit': 8 * GiB } },
    ])
    expect(kvBytes(m, 4096, 8)).toBe(4 * GiB) // batch 8 × 512 MiB
  })

  test('Qwen2.5-7B: use_sliding_window false leaves every layer full', () => {
    const m = kvModel({
      model_type: 'qwen2', num_hidden_layers: 28, hidden_size: 3584, num_attention_heads: 28, num_key_value_heads: 4,
      sliding_window: 131072, use_sliding_window: false, max_window_layers: 28, max_position_embeddings: 32768,
    })
    // 2 × 28 × 4 × 128 (3584/28) × 2 B = 57,344 B; × 32,768 = 1,879,048,192 B
    expect(kvBytesPerToken(m, 2)).toBe(57_344)
    expect(kvBytes(m, 32768)).toBe(1_879_048_192)
    // max_position_embeddings is 32K: 128K is not listed.
    expect(summarizeKv(m, 32768).atContexts.map((a) => a.context)).toEqual([4096, 32768])
  })

  test('Mixtral-8x7B: sliding_window null is no window', () => {
    const m = kvModel({
      model_type: 'mixtral', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, sliding_window: null,
      num_local_experts: 8, max_position_embeddings: 32768,
    })
    // 2 × 32 × 8 × 128 × 2 B = 131,072 B; × 32,768 = 4 GiB
    expect(kvBytesPerToken(m, 2)).toBe(131_072)
    expect(kvBytes(m, 32768)).toBe(4 * GiB)
  })

  test('Qwen3-30B-A3B: head_dim stated (128, not 2048/32 = 64)', () => {
    const m = kvModel({
      model_type: 'qwen3_moe', num_hidden_layers: 48, hidden_size: 2048, num_attention_heads: 32, num_key_value_heads: 4, head_dim: 128,
      sliding_window: null, use_sliding_window: false, max_position_embeddings: 40960,
    })
    // 2 × 48 × 4 × 128 × 2 B = 98,304 B; × 40,960 = 4,026,531,840 B
    expect(kvBytesPerToken(m, 2)).toBe(98_304)
    expect(summarizeKv(m, 40960).atContexts.at(-1)).toEqual({ context: 40960, bytes: { '16-bit': 4_026_531_840, '8-bit': 2_013_265_920 } })
  })

  test('Falcon-7B: multi_query is one KV head (MQA)', () => {
    const m = kvModel({ model_type: 'falcon', n_layer: 32, hidden_size: 4544, n_head: 71, multi_query: true })
    // 2 × 32 × 1 × 64 (4544/71) × 2 B = 8,192 B
    expect(m.attention).toBe('MQA')
    expect(kvBytesPerToken(m, 2)).toBe(8192)
  })
})

describe('MLA: (kv_lora_rank + qk_rope_head_dim) × layers × bytes', () => {
  test('DeepSeek-V3: 70,272 B per token, not 128 KV heads', () => {
    const m = kvModel({
      model_type: 'deepseek_v3', num_hidden_layers: 61, hidden_size: 7168, num_attention_heads: 128, num_key_value_heads: 128,
      kv_lora_rank: 512, q_lora_rank: 1536, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128, max_position_embeddings: 163840,
    })
    expect(m).toEqual({ attention: 'MLA', groups: [{ layers: 61, elementsPerToken: 576 }] })
    // (512 + 64) × 61 × 2 B = 70,272 B (K of 192 and V of 128 for all 128 heads would be 128 × 320 × 61 × 2 = 4,997,120 B)
    expect(kvBytesPerToken(m, 2)).toBe(70_272)
    // × 163,840 = 11,513,364,480 B
    const at = summarizeKv(m, 163840).atContexts
    expect(at.map((a) => a.context)).toEqual([4096, 32768, 131072, 163840])
    expect(at.at(-1)!.bytes['16-bit']).toBe(11_513_364_480)
    expect(at[0]!.bytes['8-bit']).toBe(35_136 * 4096)
  })
})

describe('sliding windows: Σ over layers of min(context, window)', () => {
  test('Mistral-7B-v0.1: every layer windowed at 4,096', () => {
    const m = kvModel({
      model_type: 'mistral', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, sliding_window: 4096,
      max_position_embeddings: 32768,
    })
    expect(m.groups).toEqual([{ layers: 32, elementsPerToken: 2048, window: 4096 }])
    // 131,072 B × min(32,768, 4,096) = 512 MiB, the same as at 4K
    expect(kvBytesPerToken(m, 2)).toBe(131_072)
    expect(kvBytes(m, 4096)).toBe(512 * MiB)
    expect(kvBytes(m, 32768)).toBe(512 * MiB)
  })

  test('Gemma-3-27B (text_config, sliding_window_pattern 6): 10 global + 52 local layers', () => {
    const m = kvModel({
      model_type: 'gemma3',
      text_config: {
        model_type: 'gemma3_text', num_hidden_layers: 62, hidden_size: 5376, num_attention_heads: 32, num_key_value_heads: 16, head_dim: 128,
        sliding_window: 1024, sliding_window_pattern: 6, max_position_embeddings: 131072,
      },
    })
    expect(m.groups).toEqual([{ layers: 10, elementsPerToken: 4096 }, { layers: 52, elementsPerToken: 4096, window: 1024 }])
    // per layer 2 × 16 × 128 × 2 B = 8,192 B; per token 62 × 8,192 = 507,904 B
    expect(kvBytesPerToken(m, 2)).toBe(507_904)
    // 4K: 8,192 × (10 × 4,096 + 52 × 1,024) = 8,192 × 94,208 = 771,751,936 B
    expect(kvBytes(m, 4096)).toBe(771_751_936)
    // 128K: 8,192 × (10 × 131,072 + 52 × 1,024) = 8,192 × 1,363,968 = 11,173,625,856 B
    expect(kvBytes(m, 131072)).toBe(11_173_625_856)
  })

  test('Gemma-2-9B (no layer_types): even layers local, odd global', () => {
    const m = kvModel({
      model_type: 'gemma2', num_hidden_layers: 42, hidden_size: 3584, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 256,
      sliding_window: 4096, max_position_embeddings: 8192,
    })
    // per layer 2 × 8 × 256 × 2 B = 8,192 B; at 8K: 8,192 × (21 × 8,192 + 21 × 4,096) = 2,113,929,216 B
    expect(kvBytesPerToken(m, 2)).toBe(344_064)
    expect(kvBytes(m, 8192)).toBe(2_113_929_216)
  })

  test('Qwen2 with use_sliding_window: layers from max_window_layers on are windowed', () => {
    const m = kvModel({
      model_type: 'qwen2', num_hidden_layers: 28, hidden_size: 3584, num_attention_heads: 28, num_key_value_heads: 4,
      sliding_window: 4096, use_sliding_window: true, max_window_layers: 21,
    })
    // per layer 2 × 4 × 128 × 2 B = 2,048 B; at 32K: 2,048 × (21 × 32,768 + 7 × 4,096) = 1,468,006,400 B
    expect(m.groups).toEqual([{ layers: 21, elementsPerToken: 1024 }, { layers: 7, elementsPerToken: 1024, window: 4096 }])
    expect(kvBytes(m, 32768)).toBe(1_468_006_400)
  })

  test('gpt-oss-20b (layer_types): 12 sliding (window 128) + 12 full', () => {
    const m = kvModel({
      model_type: 'gpt_oss', num_hidden_layers: 24, hidden_size: 2880, num_attention_heads: 64, num_key_value_heads: 8, head_dim: 64,
      sliding_window: 128, max_position_embeddings: 131072,
      layer_types: Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention')),
    })
    // per layer 2 × 8 × 64 × 2 B = 2,048 B; 128K: 2,048 × (12 × 131,072 + 12 × 128) = 3,224,371,200 B
    expect(kvBytesPerToken(m, 2)).toBe(49_152)
    expect(kvBytes(m, 131072)).toBe(3_224_371_200)
  })
})

describe('constant-state layers: counted once per sequence', () => {
  test('Jamba-v0.1: 4 attention layers of 32, Mamba state for the other 28', () => {
    const m = kvModel({
      model_type: 'jamba', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8,
      attn_layer_period: 8, attn_layer_offset: 4, mamba_d_state: 16, mamba_d_conv: 4, mamba_expand: 2, max_position_embeddings: 262144,
    })
    // attention: 4 × 2 × 8 × 128 × 2 B = 16,384 B per token
    expect(kvBytesPerToken(m, 2)).toBe(16_384)
    // Mamba: d_inner 8,192; conv 8,192 × 3 + SSM 8,192 × 16 = 155,648 per layer; × 28 = 4,358,144 elements = 8,716,288 B
    expect(m.state).toEqual({ layers: 28, kind: 'mamba', elements: 4_358_144 })
    // 4K: 16,384 × 4,096 + 8,716,288 = 75,825,152 B
    expect(kvBytes(m, 4096)).toBe(75_825_152)
    expect(summarizeKv(m, 262144).stateBytes).toBe(8_716_288)
  })

  test('Nemotron-H-8B-style hybrid_override_pattern (M = Mamba-2, * = attention, - = MLP)', () => {
    // 52 layers written for this test: 24 Mamba-2, 4 attention, 24 MLP.
    const pattern = `${'M-M-M-M*-'.repeat(4)}${'M-'.repeat(8)}`
    const m = kvModel({
      model_type: 'nemotron_h', num_hidden_layers: 52, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 128,
      hybrid_override_pattern: pattern, mamba_num_heads: 128, mamba_head_dim: 64, ssm_state_size: 128, n_groups: 8, conv_kernel: 4,
    })
    // attention: 4 × 2 × 8 × 128 × 2 B = 16,384 B per token
    expect(kvBytesPerToken(m, 2)).toBe(16_384)
    // Mamba-2: d_inner 8,192; conv (8,192 + 2 × 8 × 128) × 3 = 30,720; SSM 8,192 × 128 = 1,048,576; × 24 layers = 25,903,104
    expect(m.state).toEqual({ layers: 24, kind: 'mamba2', elements: 25_903_104 })
    expect(kvBytes(m, 1000, 1, 2)).toBe(16_384 * 1000 + 51_806_208)
  })

  test('Granite-4-style layer_types with mamba_n_heads/mamba_d_head names (Mamba-2)', () => {
    const m = kvModel({
      model_type: 'granitemoehybrid', num_hidden_layers: 4, hidden_size: 1024, num_attention_heads: 8, num_key_value_heads: 2,
      layer_types: ['mamba', 'mamba', 'mamba', 'attention'], mamba_n_heads: 32, mamba_d_head: 64, mamba_d_state: 128, mamba_d_conv: 4,
      mamba_n_groups: 1, mamba_expand: 2,
    })
    // attention: 1 × 2 × 2 × 128 × 2 B = 1,024 B per token
    expect(kvBytesPerToken(m, 2)).toBe(1024)
    // d_inner 32 × 64 = 2,048; conv (2,048 + 2 × 1 × 128) × 3 = 6,912; SSM 2,048 × 128 = 262,144; × 3 layers = 807,168
    expect(m.state).toEqual({ layers: 3, kind: 'mamba2', elements: 807_168 })
  })

  test('Qwen3-Next-80B-A3B: full_attention_interval 4, gated DeltaNet state for 36 layers', () => {
    const m = kvModel({
      model_type: 'qwen3_next', num_hidden_layers: 48, hidden_size: 2048, num_attention_heads: 16, num_key_value_heads: 2, head_dim: 256,
      full_attention_interval: 4, linear_num_key_heads: 16, linear_num_value_heads: 32, linear_key_head_dim: 128, linear_value_head_dim: 128,
      linear_conv_kernel_dim: 4,
    })
    // attention: 12 × 2 × 2 × 256 × 2 B = 24,576 B per token
    expect(kvBytesPerToken(m, 2)).toBe(24_576)
    // per layer: conv (2 × 16 × 128 + 32 × 128) × 3 = 24,576; recurrent 32 × 128 × 128 = 524,288; × 36 = 19,759,104
    expect(m.state).toEqual({ layers: 36, kind: 'linear-attention', elements: 19_759_104 })
  })

  test('Mamba-130m: no KV cache at all, only state', () => {
    const m = kvModel({ model_type: 'mamba', num_hidden_layers: 24, hidden_size: 768, intermediate_size: 1536, state_size: 16, conv_kernel: 4, expand: 2 })
    // 1,536 × 3 + 1,536 × 16 = 29,184 per layer; × 24 = 700,416 elements = 1,400,832 B, at any context
    expect(m).toEqual({ groups: [], state: { layers: 24, kind: 'mamba', elements: 700_416 } })
    expect(kvBytes(m, 4096)).toBe(1_400_832)
    expect(kvBytes(m, 131072)).toBe(1_400_832)
    expect(summarizeKv(m, undefined).perToken).toBeUndefined()
  })
})

describe('what hfx cannot size is said, never guessed', () => {
  test('linear attention without its state sizes: per-token figure kept, totals withheld', () => {
    const m = kvModel({
      model_type: 'somelinear', num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4, num_key_value_heads: 4,
      layer_types: ['linear_attention', 'linear_attention', 'linear_attention', 'full_attention'],
    })
    expect(m.unknown).toMatch(/linear-attention state size is not in config.json/)
    expect(kvBytesPerToken(m, 2)).toBe(2 * 4 * 64 * 2)
    expect(kvBytes(m, 4096)).toBeUndefined()
    expect(summarizeKv(m, 8192).atContexts).toEqual([])
  })

  test('MiniMax-01 (attn_type_list): lightning-attention state not in config.json, so no total', () => {
    const m = kvModel({
      model_type: 'minimax', num_hidden_layers: 8, hidden_size: 6144, num_attention_heads: 64, num_key_value_heads: 8, head_dim: 128,
      attn_type_list: [0, 0, 0, 0, 0, 0, 0, 1],
    })
    // the one softmax layer: 2 × 8 × 128 × 2 B = 4,096 B per token
    expect(kvBytesPerToken(m, 2)).toBe(4096)
    expect(m.state).toEqual({ layers: 7, kind: 'linear-attention' })
    expect(kvBytes(m, 4096)).toBeUndefined()
  })

  test.each([
    ['a parallel hybrid', { model_type: 'falcon_h1', num_hidden_layers: 4 }, /Falcon-H1/],
    ['an encoder-decoder', { model_type: 't5', num_layers: 6, is_encoder_decoder: true }, /encoder-decoder/],
    ['no layer count', { model_type: 'llama' }, /no layer count/],
    ['no heads', { model_type: 'x', num_hidden_layers: 2 }, /no KV head count/],
    ['MLA without rope dim', { model_type: 'x', num_hidden_layers: 2, kv_lora_rank: 512 }, /qk_rope_head_dim/],
    ['a window-less sliding layer', { model_type: 'x', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 1, layer_types: ['sliding_attention'] }, /sliding_window/],
    ['not an object', [], /not a JSON object/],
  ])('%s', (_, config, reason) => {
    const m = kvModel(config)
    expect(m.unknown).toMatch(reason)
    expect(m.groups).toEqual([])
    expect(kvBytes(m, 4096)).toBeUndefined()
  })
})
