// The fit computation against figures worked out by hand. Every budget here is 80 GiB per GPU unless said:
// usable = floor(80 GiB × 0.9) − 1 GiB = 71 GiB = 76,235,669,504 B per GPU.
import { describe, expect, test } from 'vitest'
import { engineFlags } from '../../src/summary/fit-flags.js'
import { CONTEXT_SEARCH_CAP, computeFit, kvBytesPerRank, largestContext, usableBytes, validTensorParallel } from '../../src/summary/fit.js'
import { kvModel } from '../../src/summary/kv-model.js'

const GiB = 2 ** 30
const USABLE_80GIB = 71 * GiB

const llama8b = kvModel({ model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8 })
/** Llama-3.1-8B: 8,030,261,248 parameters at 2 B. */
const LLAMA_8B_WEIGHTS = 16_060_522_496
const llama = { weightsBytes: LLAMA_8B_WEIGHTS, kvModel: llama8b, attentionHeads: 32, kvHeads: 8, maxPositions: 131_072 }

const deepseekV3 = kvModel({ model_type: 'deepseek_v3', num_hidden_layers: 61, num_attention_heads: 128, num_key_value_heads: 128, kv_lora_rank: 512, qk_rope_head_dim: 64 })
/** DeepSeek-V3 as stored (FP8 + scales), rounded: 690 GB. */
const deepseek = { weightsBytes: 690e9, kvModel: deepseekV3, attentionHeads: 128, maxPositions: 163_840 }

test('usable memory: 90% of the GPU, less 1 GiB', () => {
  expect(usableBytes(80 * GiB)).toBe(USABLE_80GIB)
  // An H200 as marketed: 141e9 × 0.9 − 2^30 = 126,900,000,000 − 1,073,741,824
  expect(usableBytes(141e9)).toBe(125_826_258_176)
  expect(usableBytes(GiB)).toBe(0)
})

describe('tensor-parallel degrees the heads allow', () => {
  test('powers of two up to the GPU count that divide the heads', () => {
    expect(validTensorParallel(8, 32, 8)).toEqual([1, 2, 4, 8])
    expect(validTensorParallel(6, 32, 8)).toEqual([1, 2, 4])
    // Qwen2.5-7B: 28 heads, 4 KV heads: 8 does not divide 28.
    expect(validTensorParallel(8, 28, 4)).toEqual([1, 2, 4])
    expect(validTensorParallel(8, 12, 12)).toEqual([1, 2, 4])
  })
  test('more ranks than KV heads: allowed when a multiple of them (KV heads replicated)', () => {
    expect(validTensorParallel(8, 32, 2)).toEqual([1, 2, 4, 8])
    expect(validTensorParallel(8, 48, 3)).toEqual([1])
    expect(validTensorParallel(8)).toEqual([1, 2, 4, 8])
  })
})

describe('fit', () => {
  test('Llama-3.1-8B on one 80 GiB GPU: fits at TP 1, the whole 128K, capped by max_position_embeddings', () => {
    // 16.06 GB weights + 16 GiB KV at 131,072 tokens = 33.2 GB < 71 GiB
    const r = computeFit({ ...llama, gpus: 1, gpuBytes: 80 * GiB })
    expect(r).toMatchObject({ fits: true, context: 131_072, tensorParallel: 1, minTensorParallel: 1, maxContext: 131_072, maxPositions: 131_072 })
    expect(r.perGpu).toEqual({ tensorParallel: 1, usableBytes: USABLE_80GIB, weightsBytes: LLAMA_8B_WEIGHTS, kvBytes: 16 * GiB, context: 131_072 })
    expect(engineFlags(r, 'safetensors')).toEqual({
      context: 131_072, tensorParallel: 1, vllm: '--max-model-len 131072 --tensor-parallel-size 1', sglang: '--context-length 131072 --tp 1',
    })
  })

  test('without max_position_embeddings the largest context is searched up to 1M tokens', () => {
    const r = computeFit({ ...llama, maxPositions: undefined, gpus: 1, gpuBytes: 80 * GiB })
    // (76,235,669,504 − 16,060,522,496) / 131,072 B per token = 459,099.94 → 459,099
    expect(r.maxContext).toBe(459_099)
    expect(r.context).toBeUndefined()
    expect(CONTEXT_SEARCH_CAP).toBe(1_048_576)
  })

  test('a context past max_position_embeddings is capped to it', () => {
    const r = computeFit({ ...llama, context: 1_048_576, gpus: 1, gpuBytes: 80 * GiB })
    expect(r.context).toBe(131_072)
    expect(r.maxContext).toBe(131_072)
  })

  test('batch 4 at 128K: 64 GiB of KV does not fit one GPU; TP 2 halves weights and KV (8 KV heads split)', () => {
    const r = computeFit({ ...llama, batch: 4, gpus: 8, gpuBytes: 80 * GiB })
    // TP 1: 16.06 GB + 64 GiB = 84.8 GB > 76.2 GB. TP 2: 8.03 GB + 32 GiB = 42.4 GB.
    expect(r).toMatchObject({ fits: true, batch: 4, tensorParallel: 2, minTensorParallel: 1, maxContext: 131_072 })
    expect(r.perGpu?.kvBytes).toBe(32 * GiB)
    expect(engineFlags(r, 'safetensors')).toMatchObject({
      vllm: '--max-model-len 131072 --tensor-parallel-size 2 --max-num-seqs 4',
      sglang: '--context-length 131072 --tp 2 --max-running-requests 4',
    })
    // llama.cpp splits -c between its --parallel slots
    expect(engineFlags(r, 'gguf')?.llamaCpp).toBe('-c 524288 -ngl 999 --parallel 4')
  })

  test('KV heads replicate past their count: TP 8 with 2 KV heads keeps half the cache per rank', () => {
    expect(kvBytesPerRank(llama8b, 1000, 1, 8, 2, 2)).toBe((131_072 * 1000) / 2)
    expect(kvBytesPerRank(llama8b, 1000, 1, 8, 2, 8)).toBe((131_072 * 1000) / 8)
  })

  test('DeepSeek-V3 on 8 × 80 GiB: does not fit even at TP 8; no flags', () => {
    const r = computeFit({ ...deepseek, gpus: 8, gpuBytes: 80 * GiB })
    // 690 GB / 8 = 86.25 GB per GPU > 76.2 GB usable before any KV
    expect(r).toMatchObject({ fits: false, tensorParallel: 8, validTensorParallel: [1, 2, 4, 8] })
    expect(r.minTensorParallel).toBeUndefined()
    expect(r.maxContext).toBeUndefined()
    expect(engineFlags(r, 'safetensors')).toBeUndefined()
  })

  test('DeepSeek-V3 on 8 × H200: fits at TP 8 with the whole 160K; the MLA latent is kept whole on every rank', () => {
    const r = computeFit({ ...deepseek, gpus: 8, gpuBytes: 141e9 })
    // TP 4: 172.5 GB > 125.8 GB. TP 8: 86.25 GB + 70,272 B × 163,840 = 11.5 GB (not divided by 8) = 97.8 GB
    expect(r).toMatchObject({ fits: true, tensorParallel: 8, minTensorParallel: 8, maxContext: 163_840 })
    expect(r.perGpu?.kvBytes).toBe(70_272 * 163_840)
  })

  test('a wanted context that does not fit: the largest that does, at the largest TP, rounded down to whole K for the flags', () => {
    // One 24 GB GPU: usable 21.6e9 − 2^30 = 20,526,258,176; room for KV = 4,465,735,680 B / 131,072 = 34,070 tokens
    const r = computeFit({ ...llama, gpus: 1, gpuBytes: 24e9 })
    expect(r).toMatchObject({ fits: false, tensorParallel: 1, minTensorParallel: 1, maxContext: 34_070 })
    expect(engineFlags(r, 'safetensors')).toMatchObject({ context: 33_792, vllm: '--max-model-len 33792 --tensor-parallel-size 1' })
    expect(engineFlags(r, 'gguf')).toEqual({ context: 33_792, tensorParallel: 1, llamaCpp: '-c 33792 -ngl 999' })
  })

  test('windowed layers make large contexts cheap: Gemma-3-style 5 local : 1 global', () => {
    const gemma = kvModel({
      model_type: 'gemma3_text', num_hidden_layers: 48, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 256,
      sliding_window: 1024, sliding_window_pattern: 6,
    })
    const full = kvModel({ model_type: 'llama', num_hidden_layers: 48, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 256 })
    const input = { weightsBytes: 54e9, attentionHeads: 16, kvHeads: 8, maxPositions: 131_072, gpus: 1, gpuBytes: 80 * GiB }
    // Global layers: 8 × 4,096 elements × 2 B = 65,536 B per token; local: 40 × 4,096 × 1,024 × 2 B = 320 MiB once full.
    // At 128K: 8 GiB + 320 MiB, under the 22.2 GB left; all 48 layers global would need 48 GiB.
    expect(computeFit({ ...input, kvModel: gemma })).toMatchObject({ fits: true, maxContext: 131_072 })
    expect(computeFit({ ...input, kvModel: gemma }).perGpu?.kvBytes).toBe(8 * GiB + 320 * 2 ** 20)
    const dense = computeFit({ ...input, kvModel: full })
    expect(dense.fits).toBe(false)
    // (76,235,669,504 − 54e9) / 393,216 B per token = 56,548.9 → 56,548
    expect(dense.maxContext).toBe(56_548)
  })

  test('an SSM has constant state: any context fits once the state does', () => {
    const mamba = kvModel({ model_type: 'mamba', num_hidden_layers: 64, hidden_size: 2560, intermediate_size: 5120, state_size: 16, conv_kernel: 4 })
    // (5,120 × 3 + 5,120 × 16) × 64 layers = 6,225,920 elements × 2 B = 12,451,840 B per sequence
    const r = computeFit({ weightsBytes: 5.5e9, kvModel: mamba, gpus: 1, gpuBytes: 24e9, batch: 8 })
    expect(r.perGpu?.kvBytes).toBe(12_451_840 * 8)
    expect(r).toMatchObject({ fits: true, maxContext: CONTEXT_SEARCH_CAP })
  })

  test('a KV family hfx cannot read: the answer is for the weights only, and says so', () => {
    const unknown = kvModel({ model_type: 'rwkv', num_hidden_layers: 24 })
    const r = computeFit({ weightsBytes: 10e9, kvModel: unknown, maxPositions: 4096, gpus: 1, gpuBytes: 24e9 })
    expect(r.kvUnknown).toBe(unknown.unknown)
    expect(r).toMatchObject({ fits: true, tensorParallel: 1, context: 4096 })
    expect(r.maxContext).toBeUndefined()
    expect(r.perGpu?.kvBytes).toBeUndefined()
    expect(engineFlags(r, 'safetensors')?.vllm).toBe('--max-model-len 4096 --tensor-parallel-size 1')
    expect(computeFit({ weightsBytes: 10e9, gpus: 1, gpuBytes: 24e9 }).kvUnknown).toBe('no config.json to size the KV cache from')
  })

  test('weights that fit but leave no room for even one token of KV', () => {
    const r = computeFit({ ...llama, weightsBytes: USABLE_80GIB - 1000, gpus: 1, gpuBytes: 80 * GiB })
    expect(r).toMatchObject({ fits: false, minTensorParallel: 1, maxContext: 0 })
    expect(engineFlags(r, 'safetensors')).toBeUndefined()
  })
})

test('largestContext: a binary search over a monotone predicate', () => {
  expect(largestContext((c) => c <= 12_345, 131_072)).toBe(12_345)
  expect(largestContext(() => true, 4096)).toBe(4096)
  expect(largestContext(() => false, 4096)).toBe(0)
})
