// Tensors from safetensors headers → parameter counts, scale bytes, active parameters for MoE, and memory
// estimates. Pure. The rules follow huggingface.js's parse-safetensors-metadata (what the Hub's model page
// shows), reduced to what can be decided from tensor names, dtypes and their siblings: a quantized checkpoint
// carries scales and zero points next to its weights; they take bytes but are not parameters, and counting
// them inflates the total (one scale per 32 weights is already a 3% error).
import type { QuantizationSummary } from './config.js'
import type { TensorEntry } from './safetensors-parse.js'
import { weightBytes } from './weight-bytes.js'

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

export interface ActiveParams {
  /** Parameters one token passes through: everything but the routed experts it was not sent to (and the MTP layers). */
  params: number
  routedExpertParams: number
  routedExperts: number
  expertsPerToken: number
}

/**
 * Multi-token-prediction layers (DeepSeek-V3's `model.layers.61.*`): stored beside the model and counted in
 * its total, but used only for speculative decoding, so model cards leave them out (671B + 14B, 37B active).
 */
export interface MtpParams {
  layers: number
  params: number
  /** Their share of a token's active parameters, when the model has experts. */
  activeParams?: number
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
  mtp?: MtpParams
  /** Weights only, at 2, 1 and 0.5 bytes a parameter; KV cache and activations come on top. */
  memory: { stored: number; bf16: number; fp8: number; int4: number }
}

export interface ParamsOptions {
  quantization?: QuantizationSummary
  /** From config.json; without expertsPerToken no active count is given. */
  routedExperts?: number
  expertsPerToken?: number
  /** num_hidden_layers, when config.json declares num_nextn_predict_layers: layers from this index on are MTP. */
  mtpFirstLayer?: number
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

/** A tensor's share of the counts: bookkeeping (scales, zero points), or parameters packed `packing` to an element. */
type Role = { aux: true } | { aux: false; packing: number }

/**
 * What a tensor is, from itself alone, or undefined when its neighbours decide: GPTQ/AWQ `scales` and `zeros`
 * sit beside a `qweight`; MLX `scales` and `biases` beside a packed U32 `weight`; gpt-oss `*_scales` beside
 * `*_blocks`; a packed integer `weight` or `*_blocks` unpacks only with its scales or absmax beside it.
 */
function ownRole(t: TensorEntry, q: QuantizationSummary | undefined): Role | undefined {
  if (SCALE_ONLY_DTYPES.has(t.dtype)) return { aux: true }
  const suffix = suffixOf(t.name)
  // bitsandbytes serialises its quant state as `<weight>.quant_state.bitsandbytes__nf4`.
  if (AUX_SUFFIXES.has(suffix) || suffix.startsWith('bitsandbytes__') || t.name.includes('.quant_state.')) return { aux: true }
  if (suffix === 'scales' || suffix === 'zeros' || suffix === 'biases' || suffix.endsWith('_scales')) return undefined
  const container = INT_CONTAINER_BITS[t.dtype]
  if (!container) return { aux: false, packing: 1 }
  const bits = q?.bits ?? 4
  const factor = bits > 0 && bits < container ? container / bits : 1
  if (suffix === 'qweight' || suffix === 'weight_packed') return { aux: false, packing: factor }
  if (suffix === 'weight' || suffix.endsWith('_blocks')) return undefined
  return { aux: false, packing: 1 }
}

/**
 * The names roleAmong asks about, with their dtypes: only these are kept across shards. Of the `weight`s,
 * only packed (integer) ones are asked about, so only those are kept; a float one of the same name (a
 * broken checkpoint listing a tensor twice) takes its place, as the last one listed wins.
 */
function rememberName(names: Map<string, string>, t: TensorEntry): void {
  const suffix = suffixOf(t.name)
  if (suffix === 'weight') {
    if (INT_CONTAINER_BITS[t.dtype] !== undefined) names.set(t.name, t.dtype)
    else names.delete(t.name)
  } else if (suffix === 'qweight' || suffix === 'scales' || suffix === 'absmax' || suffix.endsWith('_blocks') || suffix.endsWith('_scales')) {
    names.set(t.name, t.dtype)
  }
}

/** An undecided tensor's role, once every shard's names are known. */
function roleAmong(t: Pending, q: QuantizationSummary | undefined, names: ReadonlyMap<string, string>): Role {
  const suffix = suffixOf(t.name)
  const mod = moduleOf(t.name)
  const has = (name: string) => names.has(name)
  const packedWeight = (m: string) => INT_CONTAINER_BITS[names.get(`${m}.weight`) ?? ''] !== undefined
  if (suffix === 'scales' || suffix === 'zeros') return has(`${mod}.qweight`) || packedWeight(mod) ? { aux: true } : { aux: false, packing: 1 }
  if (suffix === 'biases') return has(`${mod}.scales`) && packedWeight(mod) ? { aux: true } : { aux: false, packing: 1 }
  if (suffix.endsWith('_scales')) {
    return has(`${mod}.${suffix.slice(0, -'_scales'.length)}_blocks`) ? { aux: true } : { aux: false, packing: 1 }
  }
  const container = INT_CONTAINER_BITS[t.dtype]!
  const bits = q?.bits ?? 4
  const factor = bits > 0 && bits < container ? container / bits : 1
  // bitsandbytes 4-bit: nf4/fp4 two per byte, recognised by the absmax beside the weight.
  if (suffix === 'weight' && has(`${t.name}.absmax`)) return { aux: false, packing: 2 }
  // MLX: U32 weights with scales beside them.
  if (suffix === 'weight' && has(`${mod}.scales`)) return { aux: false, packing: factor }
  // gpt-oss mxfp4: two 4-bit values per byte in *_blocks.
  if (suffix.endsWith('_blocks') && has(`${mod}.${suffix.slice(0, -'_blocks'.length)}_scales`)) return { aux: false, packing: 2 }
  return { aux: false, packing: 1 }
}

/** What is kept of a tensor whose role waits for the other shards: no shape, no header. */
interface Pending {
  name: string
  dtype: string
  elements: number
  bytes: number
}

interface Counts {
  total: number
  routed: number
  /** MTP layers' parameters, and their routed-expert part. */
  mtp: number
  mtpRouted: number
  mtpLayers: Set<number>
  byDtype: Record<string, number>
  scales: { tensors: number; bytes: number }
  expertIds: Set<number>
}

const LAYER_INDEX = /(?:^|\.)layers\.(\d+)\./

function count(c: Counts, t: { name: string; dtype: string; bytes: number }, elements: number, role: Role, mtpFirstLayer: number | undefined): void {
  if (role.aux) {
    c.scales.tensors++
    c.scales.bytes += t.bytes
    return
  }
  const n = Math.round(elements * role.packing)
  c.byDtype[t.dtype] = (c.byDtype[t.dtype] ?? 0) + n
  c.total += n
  const routed = isRoutedExpert(t.name)
  if (routed) {
    c.routed += n
    const i = expertIndex(t.name)
    if (i !== undefined) c.expertIds.add(i)
  }
  const layer = mtpFirstLayer === undefined ? undefined : LAYER_INDEX.exec(t.name)
  if (layer && Number(layer[1]) >= mtpFirstLayer!) {
    c.mtp += n
    if (routed) c.mtpRouted += n
    c.mtpLayers.add(Number(layer[1]))
  }
}

/**
 * Counts shard by shard, so a repo's headers never have to be held at once (12 hostile 10 MB headers once
 * cost 880 MB): each tensor is counted as its shard is added, except the few whose role depends on a
 * neighbour that may sit in another shard; those, and the names they ask about, wait for summary().
 */
export class ParamsTally {
  private tensors = 0
  private tensorBytes = 0
  private readonly counts: Counts = {
    total: 0, routed: 0, mtp: 0, mtpRouted: 0, mtpLayers: new Set(), byDtype: {}, scales: { tensors: 0, bytes: 0 }, expertIds: new Set(),
  }
  private readonly names = new Map<string, string>()
  private readonly pending: Pending[] = []

  constructor(private readonly opts: ParamsOptions = {}) {}

  add(tensors: TensorEntry[]): this {
    for (const t of tensors) {
      this.tensors++
      this.tensorBytes += t.bytes
      rememberName(this.names, t)
      const role = ownRole(t, this.opts.quantization)
      if (role) count(this.counts, t, elements(t.shape), role, this.opts.mtpFirstLayer)
      else this.pending.push({ name: t.name, dtype: t.dtype, elements: elements(t.shape), bytes: t.bytes })
    }
    return this
  }

  summary(): ParamsSummary {
    const c: Counts = {
      ...this.counts, byDtype: { ...this.counts.byDtype }, scales: { ...this.counts.scales }, expertIds: new Set(this.counts.expertIds),
      mtpLayers: new Set(this.counts.mtpLayers),
    }
    for (const t of this.pending) count(c, t, t.elements, roleAmong(t, this.opts.quantization, this.names), this.opts.mtpFirstLayer)
    const summary: ParamsSummary = {
      tensors: this.tensors,
      total: c.total,
      byDtype: c.byDtype,
      tensorBytes: this.tensorBytes,
      scales: c.scales,
      memory: {
        stored: this.tensorBytes,
        bf16: weightBytes(c.total, 'bf16'),
        fp8: weightBytes(c.total, 'fp8'),
        int4: weightBytes(c.total, 'int4'),
      },
    }
    const n = this.opts.routedExperts ?? (c.expertIds.size || undefined)
    const k = this.opts.expertsPerToken
    // The model's own active count leaves the MTP layers out, as model cards do; theirs is given apart.
    const active = activeParams(c.total - c.mtp, c.routed - c.mtpRouted, n, k)
    if (active) summary.active = active
    if (c.mtp) {
      const mtpActive = activeParams(c.mtp, c.mtpRouted, n, k)
      summary.mtp = { layers: c.mtpLayers.size, params: c.mtp, ...(mtpActive ? { activeParams: mtpActive.params } : active ? { activeParams: c.mtp } : {}) }
    }
    return summary
  }
}

export function summarizeParams(tensors: TensorEntry[], opts: ParamsOptions = {}): ParamsSummary {
  return new ParamsTally(opts).add(tensors).summary()
}

/**
 * A token goes through every shared weight and k of the n routed experts, so the routed experts' share is
 * scaled by k/n. Needs k from config.json; n too, or else the expert indices seen in tensor names.
 */
export function activeParams(total: number, routed: number, n: number | undefined, k: number | undefined): ActiveParams | undefined {
  if (!routed || !n || !k || k > n) return undefined
  return { params: Math.round(total - routed * (1 - k / n)), routedExpertParams: routed, routedExperts: n, expertsPerToken: k }
}
