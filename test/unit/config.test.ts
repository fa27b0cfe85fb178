import { describe, expect, test } from 'vitest'
import { summarizeConfig } from '../../src/summary/config.js'

describe('summarizeConfig', () => {
  test('Llama-3.1-8B: GQA ratio, derived head dim, llama3 rope scaling', () => {
    const s = summarizeConfig({
      architectures: ['LlamaForCausalLM'], model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, intermediate_size: 14336,
      num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 131072,
      rope_scaling: { factor: 8.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
      tie_word_embeddings: false, torch_dtype: 'bfloat16',
    })
    expect(s).toEqual({
      architectures: ['LlamaForCausalLM'], modelType: 'llama', layers: 32, hiddenSize: 4096, intermediateSize: 14336,
      attentionHeads: 32, kvHeads: 8, gqaRatio: 4, headDim: 128, headDimSource: 'derived', vocabSize: 128256,
      context: { maxPositions: 131072, ropeType: 'llama3', ropeFactor: 8, originalMaxPositions: 8192 },
      tiedEmbeddings: false, dtype: 'bfloat16',
    })
  })

  test('DeepSeek-V3: MLA ranks, 3 dense + 58 MoE layers, fp8 block quantization, yarn', () => {
    const s = summarizeConfig({
      architectures: ['DeepseekV3ForCausalLM'], model_type: 'deepseek_v3', num_hidden_layers: 61, hidden_size: 7168,
      intermediate_size: 18432, moe_intermediate_size: 2048, num_attention_heads: 128, num_key_value_heads: 128,
      kv_lora_rank: 512, q_lora_rank: 1536, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128, n_routed_experts: 256, n_shared_experts: 1, num_experts_per_tok: 8,
      first_k_dense_replace: 3, moe_layer_freq: 1, vocab_size: 129280, max_position_embeddings: 163840,
      rope_scaling: { type: 'yarn', factor: 40, original_max_position_embeddings: 4096, beta_fast: 32 },
      quantization_config: { activation_scheme: 'dynamic', fmt: 'e4m3', quant_method: 'fp8', weight_block_size: [128, 128] },
    })
    expect(s.moe).toEqual({ routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, moeLayers: 58, denseLayers: 3 })
    expect(s.quantization).toEqual({ method: 'fp8', format: 'e4m3', bits: 8, blockSize: [128, 128], activationScheme: 'dynamic' })
    expect(s).toMatchObject({ kvLoraRank: 512, qLoraRank: 1536, gqaRatio: 1, headDim: 192, headDimSource: 'config', context: { ropeType: 'yarn', ropeFactor: 40 } })
  })

  test('Qwen-MoE: num_experts, decoder_sparse_step and mlp_only_layers; a shared expert from its size', () => {
    const s = summarizeConfig({ num_hidden_layers: 8, num_experts: 60, num_experts_per_tok: 4, decoder_sparse_step: 2, mlp_only_layers: [1], shared_expert_intermediate_size: 5632 })
    // Layers 1, 3, 5, 7 are sparse by the step; 1 is forced dense.
    expect(s.moe).toEqual({ routedExperts: 60, sharedExperts: 1, expertsPerToken: 4, moeLayers: 3, denseLayers: 5 })
  })

  test('Mixtral: every layer has experts', () => {
    expect(summarizeConfig({ num_hidden_layers: 32, num_local_experts: 8, num_experts_per_tok: 2 }).moe).toEqual({
      routedExperts: 8, expertsPerToken: 2, moeLayers: 32, denseLayers: 0,
    })
  })

  test.each([
    [{ quant_method: 'gptq', bits: 4, group_size: 128, desc_act: false }, { method: 'gptq', bits: 4, groupSize: 128 }],
    [{ quant_method: 'awq', bits: 4, group_size: 128, version: 'gemm' }, { method: 'awq', format: 'gemm', bits: 4, groupSize: 128 }],
    [{ load_in_4bit: true, bnb_4bit_quant_type: 'nf4', llm_int8_skip_modules: ['lm_head'] }, { method: 'bitsandbytes', bits: 4, format: 'nf4', skipped: ['lm_head'] }],
    [{ quant_method: 'bitsandbytes', load_in_8bit: true }, { method: 'bitsandbytes', bits: 8 }],
    [
      { quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: { g0: { targets: ['Linear'], weights: { num_bits: 4, group_size: 32 } } }, ignore: ['lm_head'] },
      { method: 'compressed-tensors', format: 'pack-quantized', bits: 4, groupSize: 32, skipped: ['lm_head'] },
    ],
  ])('quantization_config %j', (q, want) => {
    expect(summarizeConfig({ quantization_config: q }).quantization).toEqual(want)
  })

  test('mlx quantization without quant_method', () => {
    expect(summarizeConfig({ quantization: { group_size: 64, bits: 4 } }).quantization).toEqual({ method: 'mlx', bits: 4, groupSize: 64 })
  })

  test('multimodal: nested text_config and vision_config, an explicit head_dim', () => {
    const s = summarizeConfig({
      architectures: ['Gemma3ForConditionalGeneration'],
      text_config: { num_hidden_layers: 34, hidden_size: 2560, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, sliding_window: 1024 },
      vision_config: { num_hidden_layers: 27, hidden_size: 1152, num_attention_heads: 16 },
    })
    expect(s.layers).toBeUndefined()
    expect(s.text).toMatchObject({ layers: 34, headDim: 256, headDimSource: 'config', gqaRatio: 2, context: { slidingWindow: 1024 } })
    expect(s.vision).toMatchObject({ layers: 27, headDim: 72 })
  })

  test('a sliding window that is switched off is not shown', () => {
    expect(summarizeConfig({ max_position_embeddings: 32768, sliding_window: 4096, use_sliding_window: false }).context).toEqual({ maxPositions: 32768 })
  })

  test.each([null, 'text', 42, [], [1, 2]])('not an object (%j): an empty summary', (c) => {
    expect(summarizeConfig(c)).toEqual({})
  })

  test('wrong types and nonsense values are skipped, never thrown on', () => {
    const s = summarizeConfig({
      num_hidden_layers: '32', hidden_size: -1, num_attention_heads: 1.5, num_key_value_heads: null, vocab_size: 1e300,
      architectures: 'Llama', rope_scaling: 'yes', quantization_config: { bits: 4 }, n_routed_experts: 1, text_config: [],
      tie_word_embeddings: 'false',
    })
    expect(s).toEqual({})
  })
})
