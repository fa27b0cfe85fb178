// Tensor lists shaped like real checkpoints (names and shapes as transformers saves them), at toy sizes.
import type { TensorSpec } from './safetensors-writer.js'

export interface LlamaShape {
  layers: number
  hidden: number
  intermediate: number
  heads: number
  kvHeads: number
  vocab: number
  tied?: boolean
  dtype?: string
}

function attention(p: string, s: { hidden: number; heads: number; kvHeads: number }, dtype: string): TensorSpec[] {
  const hd = s.hidden / s.heads
  return [
    { name: `${p}.self_attn.q_proj.weight`, dtype, shape: [s.heads * hd, s.hidden] },
    { name: `${p}.self_attn.k_proj.weight`, dtype, shape: [s.kvHeads * hd, s.hidden] },
    { name: `${p}.self_attn.v_proj.weight`, dtype, shape: [s.kvHeads * hd, s.hidden] },
    { name: `${p}.self_attn.o_proj.weight`, dtype, shape: [s.hidden, s.heads * hd] },
  ]
}

export function llamaTensors(s: LlamaShape): TensorSpec[] {
  const dtype = s.dtype ?? 'BF16'
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype, shape: [s.vocab, s.hidden] }]
  for (let i = 0; i < s.layers; i++) {
    const p = `model.layers.${i}`
    t.push(
      { name: `${p}.input_layernorm.weight`, dtype, shape: [s.hidden] },
      ...attention(p, s, dtype),
      { name: `${p}.post_attention_layernorm.weight`, dtype, shape: [s.hidden] },
      { name: `${p}.mlp.gate_proj.weight`, dtype, shape: [s.intermediate, s.hidden] },
      { name: `${p}.mlp.up_proj.weight`, dtype, shape: [s.intermediate, s.hidden] },
      { name: `${p}.mlp.down_proj.weight`, dtype, shape: [s.hidden, s.intermediate] },
    )
  }
  t.push({ name: 'model.norm.weight', dtype, shape: [s.hidden] })
  if (!s.tied) t.push({ name: 'lm_head.weight', dtype, shape: [s.vocab, s.hidden] })
  return t
}

export function mixtralTensors(s: LlamaShape & { experts: number }): TensorSpec[] {
  const dtype = s.dtype ?? 'BF16'
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype, shape: [s.vocab, s.hidden] }]
  for (let i = 0; i < s.layers; i++) {
    const p = `model.layers.${i}`
    t.push({ name: `${p}.input_layernorm.weight`, dtype, shape: [s.hidden] }, ...attention(p, s, dtype))
    t.push({ name: `${p}.post_attention_layernorm.weight`, dtype, shape: [s.hidden] })
    t.push({ name: `${p}.block_sparse_moe.gate.weight`, dtype, shape: [s.experts, s.hidden] })
    for (let e = 0; e < s.experts; e++) {
      const q = `${p}.block_sparse_moe.experts.${e}`
      t.push(
        { name: `${q}.w1.weight`, dtype, shape: [s.intermediate, s.hidden], routedExpert: true },
        { name: `${q}.w2.weight`, dtype, shape: [s.hidden, s.intermediate], routedExpert: true },
        { name: `${q}.w3.weight`, dtype, shape: [s.intermediate, s.hidden], routedExpert: true },
      )
    }
  }
  t.push({ name: 'model.norm.weight', dtype, shape: [s.hidden] }, { name: 'lm_head.weight', dtype, shape: [s.vocab, s.hidden] })
  return t
}

export interface DeepseekShape {
  layers: number
  firstDense: number
  hidden: number
  intermediate: number
  moeIntermediate: number
  heads: number
  qLoraRank: number
  kvLoraRank: number
  ropeDim: number
  nopeDim: number
  vDim: number
  routed: number
  shared: number
  vocab: number
  block: number
}

/** DeepSeek-V3's layout: fp8 (F8_E4M3) linear weights, each with an F32 weight_scale_inv per 128×128 block. */
export function deepseekV3Tensors(s: DeepseekShape): TensorSpec[] {
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [s.vocab, s.hidden] }]
  const blocks = (n: number) => Math.ceil(n / s.block)
  const fp8 = (name: string, out: number, inp: number, routedExpert = false) => {
    t.push({ name: `${name}.weight`, dtype: 'F8_E4M3', shape: [out, inp], routedExpert })
    t.push({ name: `${name}.weight_scale_inv`, dtype: 'F32', shape: [blocks(out), blocks(inp)], role: 'scale', routedExpert })
  }
  const norm = (name: string, n: number) => t.push({ name: `${name}.weight`, dtype: 'BF16', shape: [n] })
  for (let i = 0; i < s.layers; i++) {
    const p = `model.layers.${i}`
    norm(`${p}.input_layernorm`, s.hidden)
    fp8(`${p}.self_attn.q_a_proj`, s.qLoraRank, s.hidden)
    norm(`${p}.self_attn.q_a_layernorm`, s.qLoraRank)
    fp8(`${p}.self_attn.q_b_proj`, s.heads * (s.nopeDim + s.ropeDim), s.qLoraRank)
    fp8(`${p}.self_attn.kv_a_proj_with_mqa`, s.kvLoraRank + s.ropeDim, s.hidden)
    norm(`${p}.self_attn.kv_a_layernorm`, s.kvLoraRank)
    fp8(`${p}.self_attn.kv_b_proj`, s.heads * (s.nopeDim + s.vDim), s.kvLoraRank)
    fp8(`${p}.self_attn.o_proj`, s.hidden, s.heads * s.vDim)
    norm(`${p}.post_attention_layernorm`, s.hidden)
    if (i < s.firstDense) {
      fp8(`${p}.mlp.gate_proj`, s.intermediate, s.hidden)
      fp8(`${p}.mlp.up_proj`, s.intermediate, s.hidden)
      fp8(`${p}.mlp.down_proj`, s.hidden, s.intermediate)
      continue
    }
    t.push({ name: `${p}.mlp.gate.weight`, dtype: 'BF16', shape: [s.routed, s.hidden] })
    t.push({ name: `${p}.mlp.gate.e_score_correction_bias`, dtype: 'F32', shape: [s.routed] })
    for (let e = 0; e < s.routed; e++) {
      fp8(`${p}.mlp.experts.${e}.gate_proj`, s.moeIntermediate, s.hidden, true)
      fp8(`${p}.mlp.experts.${e}.up_proj`, s.moeIntermediate, s.hidden, true)
      fp8(`${p}.mlp.experts.${e}.down_proj`, s.hidden, s.moeIntermediate, true)
    }
    const shared = s.moeIntermediate * s.shared
    fp8(`${p}.mlp.shared_experts.gate_proj`, shared, s.hidden)
    fp8(`${p}.mlp.shared_experts.up_proj`, shared, s.hidden)
    fp8(`${p}.mlp.shared_experts.down_proj`, s.hidden, shared)
  }
  norm('model.norm', s.hidden)
  t.push({ name: 'lm_head.weight', dtype: 'BF16', shape: [s.vocab, s.hidden] })
  return t
}
