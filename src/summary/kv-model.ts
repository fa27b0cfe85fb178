// config.json → what a serving engine caches per sequence: for each kind of layer, the elements it keeps per
// token (and up to how many tokens), plus the constant state of recurrent layers. Pure. Each attention
// family has its own rule, because the one rule "2 × layers × KV heads × head dim" is wrong by up to 50×
// for MLA and by the whole context for sliding windows. A config whose family is not recognised gets an
// `unknown` reason, never a guess. kv-bytes.ts turns the model into bytes.

export type AttentionKind = 'MHA' | 'GQA' | 'MQA' | 'MLA'

/** Layers that cache the same elements per token. */
export interface KvLayerGroup {
  layers: number
  /** Elements cached per token in one layer: K and V (2 × KV heads × head dim), or MLA's latent + rope key. */
  elementsPerToken: number
  /** Sliding-window layers keep at most this many tokens; absent: every token of the context. */
  window?: number
}

/** Recurrent layers (Mamba, linear attention): a state per sequence that does not grow with the context. */
export interface ConstantState {
  layers: number
  kind: 'mamba' | 'mamba2' | 'linear-attention'
  /** Elements per sequence over all these layers (conv + SSM/recurrent state); absent when the config does not tell. */
  elements?: number
}

export interface KvModel {
  attention?: AttentionKind
  groups: KvLayerGroup[]
  state?: ConstantState
  /** Why the cache could not be sized (or the state not counted): said instead of a made-up number. */
  unknown?: string
}

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function int(c: Obj, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = c[k]
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
  }
  return undefined
}

type LayerKind = 'full' | 'sliding' | 'mamba' | 'linear' | 'none'

/** Names used in `layer_types` / `layers_block_type` (Gemma 3, gpt-oss, Qwen3-Next, Granite 4, Jamba). */
const LAYER_TYPE_NAMES: Record<string, LayerKind> = {
  full_attention: 'full',
  attention: 'full',
  global: 'full',
  sliding_attention: 'sliding',
  sliding: 'sliding',
  local: 'sliding',
  chunked_attention: 'sliding',
  linear_attention: 'linear',
  mamba: 'mamba',
  mamba2: 'mamba',
}

/** Nemotron-H's hybrid_override_pattern: one character per layer. */
const PATTERN_CHARS: Record<string, LayerKind> = { M: 'mamba', '*': 'full', '-': 'none', E: 'none' }

/** Pure state-space models: every layer is recurrent. */
const SSM_MODEL_TYPES = new Set(['mamba', 'mamba2', 'falcon_mamba'])

/** Families whose cache hfx knows it cannot size from config.json alone. */
const UNSUPPORTED: Record<string, string> = {
  falcon_h1: 'Falcon-H1 runs attention and Mamba side by side in every layer',
  rwkv: 'RWKV is recurrent; its state size is not read',
  t5: 'encoder-decoder models cache cross-attention per input token too',
  bart: 'encoder-decoder models cache cross-attention per input token too',
  whisper: 'encoder-decoder models cache cross-attention per input token too',
}

/** The level of config.json that describes the language model: text_config for multimodal models. */
function textLevel(config: Obj): Obj {
  return isObj(config.text_config) && int(config.text_config, 'num_hidden_layers') ? config.text_config : config
}

/** Each layer's kind, by the rules the family's modeling code applies; undefined when the config does not say. */
function layerKinds(c: Obj, layers: number): LayerKind[] | undefined {
  const named = Array.isArray(c.layer_types) ? c.layer_types : Array.isArray(c.layers_block_type) ? c.layers_block_type : undefined
  if (named) {
    const kinds = named.map((t) => (typeof t === 'string' ? LAYER_TYPE_NAMES[t] : undefined))
    return kinds.length === layers && kinds.every((k) => k !== undefined) ? (kinds as LayerKind[]) : undefined
  }
  if (typeof c.hybrid_override_pattern === 'string') {
    const kinds = [...c.hybrid_override_pattern].map((ch) => PATTERN_CHARS[ch])
    return kinds.length === layers && kinds.every((k) => k !== undefined) ? (kinds as LayerKind[]) : undefined
  }
  if (Array.isArray(c.attn_type_list)) {
    // MiniMax-01/M1: 0 is a lightning (linear) attention layer, 1 a softmax one.
    const kinds = c.attn_type_list.map((t) => (t === 0 ? 'linear' : t === 1 ? 'full' : undefined))
    return kinds.length === layers && kinds.every((k) => k !== undefined) ? (kinds as LayerKind[]) : undefined
  }
  const maxWindowLayers = c.max_window_layers
  if (c.use_sliding_window === true && int(c, 'sliding_window') && typeof maxWindowLayers === 'number' && Number.isSafeInteger(maxWindowLayers)) {
    // Qwen2 with use_sliding_window: layers from max_window_layers on are windowed, the ones below full.
    return Array.from({ length: layers }, (_, i) => (i >= maxWindowLayers ? 'sliding' : 'full'))
  }
  const period = int(c, 'attn_layer_period')
  if (period) {
    // Jamba: layer i is attention when i % attn_layer_period == attn_layer_offset, Mamba otherwise.
    const offset = typeof c.attn_layer_offset === 'number' ? c.attn_layer_offset : 0
    return Array.from({ length: layers }, (_, i) => (i % period === offset ? 'full' : 'mamba'))
  }
  const interval = int(c, 'full_attention_interval')
  if (interval) {
    // Qwen3-Next without layer_types: every interval-th layer is full attention, the rest linear.
    return Array.from({ length: layers }, (_, i) => ((i + 1) % interval === 0 ? 'full' : 'linear'))
  }
  const slidingPattern = int(c, 'sliding_window_pattern')
  if (slidingPattern && int(c, 'sliding_window')) {
    // Gemma 3: every sliding_window_pattern-th layer is global, the others local.
    return Array.from({ length: layers }, (_, i) => ((i + 1) % slidingPattern === 0 ? 'full' : 'sliding'))
  }
  if (c.model_type === 'gemma2' && int(c, 'sliding_window')) {
    // Gemma 2: even layers local, odd layers global.
    return Array.from({ length: layers }, (_, i) => (i % 2 === 0 ? 'sliding' : 'full'))
  }
  return undefined
}

/** Mamba-1 (Jamba, Mamba): conv state d_inner × (d_conv − 1) plus SSM state d_inner × d_state, per layer. */
function mamba1StateElements(c: Obj, prefix: 'mamba_' | ''): number | undefined {
  const hidden = int(c, 'hidden_size', 'd_model')
  const expand = int(c, `${prefix}expand`, 'expand')
  const dInner = int(c, prefix ? 'mamba_d_inner' : 'intermediate_size') ?? (hidden && expand ? hidden * expand : undefined)
  const dState = int(c, `${prefix}d_state`, 'state_size', 'd_state')
  const dConv = int(c, `${prefix}d_conv`, 'conv_kernel', 'd_conv')
  return dInner && dState && dConv ? dInner * (dConv - 1) + dInner * dState : undefined
}

/**
 * Mamba-2 (Nemotron-H, Mamba2): conv state (d_inner + 2 × groups × d_state) × (kernel − 1) plus SSM state
 * heads × head dim × d_state, per layer.
 */
function mamba2StateElements(c: Obj): number | undefined {
  // Nemotron-H names them mamba_num_heads/mamba_head_dim/ssm_state_size, Granite 4 mamba_n_heads/mamba_d_head/mamba_d_state.
  const heads = int(c, 'mamba_num_heads', 'mamba_n_heads', 'num_heads')
  const headDim = int(c, 'mamba_head_dim', 'mamba_d_head', 'head_dim')
  const dState = int(c, 'ssm_state_size', 'mamba_d_state', 'state_size')
  const kernel = int(c, 'conv_kernel', 'mamba_d_conv')
  const groups = int(c, 'n_groups', 'mamba_n_groups') ?? 1
  if (!heads || !headDim || !dState || !kernel) return undefined
  const dInner = heads * headDim
  return (dInner + 2 * groups * dState) * (kernel - 1) + dInner * dState
}

/** Gated DeltaNet (Qwen3-Next): conv state (2 × key heads × key dim + value heads × value dim) × (kernel − 1) plus value heads × key dim × value dim. */
function linearStateElements(c: Obj): number | undefined {
  const kHeads = int(c, 'linear_num_key_heads')
  const vHeads = int(c, 'linear_num_value_heads')
  const kDim = int(c, 'linear_key_head_dim')
  const vDim = int(c, 'linear_value_head_dim')
  const kernel = int(c, 'linear_conv_kernel_dim')
  if (!kHeads || !vHeads || !kDim || !vDim || !kernel) return undefined
  return (2 * kHeads * kDim + vHeads * vDim) * (kernel - 1) + vHeads * kDim * vDim
}

function recurrentState(c: Obj, kind: 'mamba' | 'linear', layers: number): ConstantState {
  if (kind === 'linear') {
    const per = linearStateElements(c)
    return { layers, kind: 'linear-attention', ...(per ? { elements: per * layers } : {}) }
  }
  const mamba2 = int(c, 'mamba_num_heads', 'mamba_n_heads', 'ssm_state_size') !== undefined || c.model_type === 'mamba2'
  const per = mamba2 ? mamba2StateElements(c) : mamba1StateElements(c, int(c, 'mamba_d_state') ? 'mamba_' : '')
  return { layers, kind: mamba2 ? 'mamba2' : 'mamba', ...(per ? { elements: per * layers } : {}) }
}

/** Attention layers' per-token elements, and the kind of attention, or why they cannot be known. */
function attentionShape(c: Obj): { kind: AttentionKind; elements: number } | { unknown: string } {
  const kvRank = int(c, 'kv_lora_rank')
  if (kvRank) {
    // MLA caches one compressed latent and one shared rope key per token and layer, whatever the head count.
    const rope = int(c, 'qk_rope_head_dim')
    return rope ? { kind: 'MLA', elements: kvRank + rope } : { unknown: 'MLA config without qk_rope_head_dim' }
  }
  const heads = int(c, 'num_attention_heads', 'n_head', 'num_heads', 'n_heads')
  const kvHeads = int(c, 'num_key_value_heads', 'num_kv_heads', 'n_kv_heads', 'n_head_kv') ?? (c.multi_query === true ? 1 : heads)
  const hidden = int(c, 'hidden_size', 'n_embd', 'd_model', 'dim')
  const headDim = int(c, 'head_dim', 'attention_head_dim') ?? (hidden && heads && hidden % heads === 0 ? hidden / heads : undefined)
  if (!kvHeads || !headDim) return { unknown: 'config.json gives no KV head count and head dim' }
  const kind: AttentionKind = kvHeads === heads ? 'MHA' : kvHeads === 1 ? 'MQA' : 'GQA'
  return { kind, elements: 2 * kvHeads * headDim }
}

export function kvModel(config: unknown): KvModel {
  if (!isObj(config)) return { groups: [], unknown: 'config.json is not a JSON object' }
  const c = textLevel(config)
  const modelType = typeof c.model_type === 'string' ? c.model_type : undefined
  if (modelType && UNSUPPORTED[modelType]) return { groups: [], unknown: UNSUPPORTED[modelType] }
  if (c.is_encoder_decoder === true) return { groups: [], unknown: UNSUPPORTED.t5! }
  const layers = int(c, 'num_hidden_layers', 'n_layer', 'num_layers', 'n_layers')
  if (!layers) return { groups: [], unknown: 'config.json gives no layer count' }
  if (modelType && SSM_MODEL_TYPES.has(modelType)) return { groups: [], state: recurrentState(c, 'mamba', layers) }

  const kinds = layerKinds(c, layers) ?? Array<LayerKind>(layers).fill(c.use_sliding_window === false || !int(c, 'sliding_window') ? 'full' : 'sliding')
  const count = (k: LayerKind) => kinds.filter((x) => x === k).length
  const model: KvModel = { groups: [] }
  const recurrent = count('mamba') ? ('mamba' as const) : count('linear') ? ('linear' as const) : undefined
  if (recurrent) {
    model.state = recurrentState(c, recurrent, count(recurrent))
    if (model.state.elements === undefined) model.unknown = `the ${model.state.kind} state size is not in config.json (counted as unknown, not as zero)`
  }
  const attending = count('full') + count('sliding')
  if (attending === 0) return model
  const shape = attentionShape(c)
  if ('unknown' in shape) return { groups: [], unknown: shape.unknown }
  model.attention = shape.kind
  const window = int(c, 'sliding_window', 'attention_window_size')
  if (count('full')) model.groups.push({ layers: count('full'), elementsPerToken: shape.elements })
  if (count('sliding')) {
    if (window) model.groups.push({ layers: count('sliding'), elementsPerToken: shape.elements, window })
    else return { ...model, groups: [], unknown: 'sliding-window layers without a sliding_window size' }
  }
  return model
}
