// Tensors from safetensors headers → parameter counts, scale bytes, active parameters for MoE, and memory
// estimates. Pure. The rules follow huggingface.js's parse-safetensors-metadata (what the Hub's model page
// shows), reduced to what can be decided from tensor names, dtypes and their siblings: a quantized checkpoint
// carries scales and zero points next to its weights; they take bytes but are not parameters, and counting
// them inflates the total (one scale per 32 weights is already a 3% error).
import type { QuantizationSummary } from './config.js'
import type { TensorEntry } from './safetensors-parse.js'

/**
 * Tensor name endings that are quantization bookkeeping whatever the config says. Deliberately absent: a
 * bare `scale`/`scales`/`biases`/`zeros`, which some architectures use for learned parameters; those count as
 * bookkeeping only next to the packed weight they belong to (see auxBySibling).
 */
const AUX_SUFFIXES = new Set([
  'weight_scale_inv', // DeepSeek-V3 fp8: one inverse scale per 128×128 block
  'weight_scale', // fp8 / compressed-tensors per-tensor or per-channel scales
  'weight_scale_2',
  'weight_global_scale',
  'input_scale', // static activation scales
  'input_global_scale',
  'k_scale', // fp8 KV-cache scales
  'v_scale',
  'weight_zero_point',
  'input_zero_point',
  'zero_point',
  'weight_shape', // compressed-tensors: the packed tensor's logical shape
  'weight_g_idx', // activation-order permutation indices
  'qzeros', // GPTQ/AWQ packed zero points
  'g_idx', // GPTQ group index of every input column
  'absmax', // bitsandbytes 4-bit block scales and their double quantization
  'nested_absmax',
  'quant_map',
  'nested_quant_map',
  'SCB', // bitsandbytes 8-bit row scales
  'weight_format',
])

/** Exponent-only float formats exist to hold MX block scales, never weights. */
const SCALE_ONLY_DTYPES = new Set(['F8_E8M0', 'E8M0', 'UE8'])

const INT_CONTAINER_BITS: Record<string, number> = { U8: 8, I8: 8, U16: 16, I16: 16, U32: 32, I32: 32 }

/** Bytes per parameter for the memory estimates. */
const BYTES_PER_PARAM = { bf16: 2, fp8: 1, int4: 0.5 } as const

export interface ActiveParams {
  /** Parameters one token passes through: everything but the routed experts it was not sent to. */
  params: number
  routedExpertParams: number
  routedExperts: number
  expertsPerToken: number
}

export interface ParamsSummary {
  tensors: number
  total: number
  /** Parameters by stored dtype (packed 4-bit weights count as their unpacked number). */
  byDtype: Record<string, number>
  /** Bytes of all tensor data, scales included: what loading the checkpoint as stored costs. */
  tensorBytes: number
  scales: { tensors: number; bytes: number }
  active?: ActiveParams
  /** Weights only, at 2, 1 and 0.5 bytes a parameter; KV cache and activations come on top. */
  memory: { stored: number; bf16: number; fp8: number; int4: number }
}

export interface ParamsOptions {
  quantization?: QuantizationSummary
  /** From config.json; without expertsPerToken no active count is given. */
  routedExperts?: number
  expertsPerToken?: number
}

function suffixOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? name : name.slice(dot + 1)
}

function moduleOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(0, dot)
}

function elements(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** A routed expert's tensor: `...experts.7.w1.weight`, or fused `...experts.gate_up_proj`. Shared experts are always on. */
export function isRoutedExpert(name: string): boolean {
  return /(^|\.)experts\./.test(name) && !/shared_expert/.test(name)
}

function expertIndex(name: string): number | undefined {
  const m = /(?:^|\.)experts\.(\d+)\./.exec(name)
  return m ? Number(m[1]) : undefined
}

/**
 * Decides each tensor's role using its neighbours: GPTQ/AWQ `scales` and `zeros` sit beside a `qweight`; MLX
 * `scales` and `biases` beside a packed U32 `weight`; gpt-oss `*_scales` beside `*_blocks`.
 */
function makeClassifier(tensors: TensorEntry[]) {
  const dtypeByName = new Map(tensors.map((t) => [t.name, t.dtype]))
  const packedWeight = (mod: string) => {
    const d = dtypeByName.get(`${mod}.weight`)
    return d !== undefined && INT_CONTAINER_BITS[d] !== undefined
  }
  const isAux = (t: TensorEntry): boolean => {
    if (SCALE_ONLY_DTYPES.has(t.dtype)) return true
    const suffix = suffixOf(t.name)
    // bitsandbytes serialises its quant state as `<weight>.quant_state.bitsandbytes__nf4`.
    if (AUX_SUFFIXES.has(suffix) || suffix.startsWith('bitsandbytes__') || t.name.includes('.quant_state.')) return true
    const mod = moduleOf(t.name)
    if (suffix === 'scales' || suffix === 'zeros') return dtypeByName.has(`${mod}.qweight`) || packedWeight(mod)
    if (suffix === 'biases') return dtypeByName.has(`${mod}.scales`) && packedWeight(mod)
    if (suffix.endsWith('_scales')) return dtypeByName.has(`${mod}.${suffix.slice(0, -'_scales'.length)}_blocks`)
    return false
  }
  return { isAux, dtypeByName }
}

/** How many parameters one stored element holds: 8 for GPTQ's 4-bit qweight in I32, 2 for nf4 in U8, else 1. */
function packing(t: TensorEntry, q: QuantizationSummary | undefined, has: (name: string) => boolean): number {
  const container = INT_CONTAINER_BITS[t.dtype]
  if (!container) return 1
  const suffix = suffixOf(t.name)
  const mod = moduleOf(t.name)
  const bits = q?.bits ?? 4
  const factor = bits > 0 && bits < container ? container / bits : 1
  if (suffix === 'qweight' || suffix === 'weight_packed') return factor
  // bitsandbytes 4-bit: nf4/fp4 two per byte, recognised by the absmax beside the weight.
  if (suffix === 'weight' && has(`${t.name}.absmax`)) return 2
  // MLX: U32 weights with scales beside them.
  if (suffix === 'weight' && has(`${mod}.scales`)) return factor
  // gpt-oss mxfp4: two 4-bit values per byte in *_blocks.
  if (suffix.endsWith('_blocks') && has(`${mod}.${suffix.slice(0, -'_blocks'.length)}_scales`)) return 2
  return 1
}

export function summarizeParams(tensors: TensorEntry[], opts: ParamsOptions = {}): ParamsSummary {
  const { isAux, dtypeByName } = makeClassifier(tensors)
  const has = (name: string) => dtypeByName.has(name)
  const byDtype: Record<string, number> = {}
  let total = 0
  let tensorBytes = 0
  let routed = 0
  const scales = { tensors: 0, bytes: 0 }
  const expertIds = new Set<number>()
  for (const t of tensors) {
    tensorBytes += t.bytes
    if (isAux(t)) {
      scales.tensors++
      scales.bytes += t.bytes
      continue
    }
    const n = Math.round(elements(t.shape) * packing(t, opts.quantization, has))
    byDtype[t.dtype] = (byDtype[t.dtype] ?? 0) + n
    total += n
    if (isRoutedExpert(t.name)) {
      routed += n
      const i = expertIndex(t.name)
      if (i !== undefined) expertIds.add(i)
    }
  }
  const summary: ParamsSummary = {
    tensors: tensors.length,
    total,
    byDtype,
    tensorBytes,
    scales,
    memory: {
      stored: tensorBytes,
      bf16: total * BYTES_PER_PARAM.bf16,
      fp8: total * BYTES_PER_PARAM.fp8,
      int4: total * BYTES_PER_PARAM.int4,
    },
  }
  const active = activeParams(total, routed, opts.routedExperts ?? (expertIds.size || undefined), opts.expertsPerToken)
  if (active) summary.active = active
  return summary
}

/**
 * A token goes through every shared weight and k of the n routed experts, so the routed experts' share is
 * scaled by k/n. Needs k from config.json; n too, or else the expert indices seen in tensor names.
 */
export function activeParams(total: number, routed: number, n: number | undefined, k: number | undefined): ActiveParams | undefined {
  if (!routed || !n || !k || k > n) return undefined
  return { params: Math.round(total - routed * (1 - k / n)), routedExpertParams: routed, routedExperts: n, expertsPerToken: k }
}
