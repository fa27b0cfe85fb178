// config.json → what a reader of the model page wants to know about the architecture. Pure, and total:
// config.json is free-form JSON written by hundreds of libraries, so every field is optional, read under
// each of the names architectures use for it, and a value of the wrong type is skipped, never thrown on.

export interface ContextSummary {
  maxPositions?: number
  ropeType?: string
  ropeFactor?: number
  /** The context the model was pretrained with, before rope scaling stretched it. */
  originalMaxPositions?: number
  slidingWindow?: number
}

export interface MoeSummary {
  routedExperts?: number
  sharedExperts?: number
  expertsPerToken?: number
  /** Layers with a plain MLP and layers with experts, when the config says which are which. */
  denseLayers?: number
  moeLayers?: number
}

export interface QuantizationSummary {
  method: string
  /** fp8 e4m3, compressed-tensors' "float-quantized", bitsandbytes' nf4/fp4, … */
  format?: string
  bits?: number
  groupSize?: number
  /** fp8 block-wise scaling: one scale per block of this shape (DeepSeek-V3: 128×128). */
  blockSize?: number[]
  activationScheme?: string
  /** Modules left unquantized (lm_head, gates …). */
  skipped?: string[]
}

export interface ArchitectureSummary {
  architectures?: string[]
  modelType?: string
  layers?: number
  hiddenSize?: number
  intermediateSize?: number
  moeIntermediateSize?: number
  attentionHeads?: number
  kvHeads?: number
  /** Query heads per KV head: 1 is plain multi-head attention, attentionHeads is multi-query. */
  gqaRatio?: number
  headDim?: number
  /** 'config' when config.json states it, 'derived' when it is hidden / heads. */
  headDimSource?: 'config' | 'derived'
  /** Multi-head latent attention (DeepSeek-V2/V3): the compressed KV width that is cached per token. */
  kvLoraRank?: number
  qLoraRank?: number
  vocabSize?: number
  /** Multi-token-prediction layers stored after the last hidden layer (DeepSeek-V3: 1, as `model.layers.61.*`). */
  mtpLayers?: number
  context?: ContextSummary
  tiedEmbeddings?: boolean
  dtype?: string
  moe?: MoeSummary
  quantization?: QuantizationSummary
  /** Multimodal models keep the language model's and the vision tower's shapes in nested configs. */
  text?: ArchitectureSummary
  vision?: ArchitectureSummary
}

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A positive integer: counts and sizes. JSON floats like 4096.0 are accepted, nonsense is not. */
function count(c: Obj, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = c[k]
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
  }
  return undefined
}

/** Like count, but 0 is meaningful (first_k_dense_replace: 0 means every layer has experts). */
function countOrZero(c: Obj, key: string): number | undefined {
  const v = c[key]
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined
}

function positive(c: Obj, key: string): number | undefined {
  const v = c[key]
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined
}

function text(c: Obj, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = c[k]
    if (typeof v === 'string' && v !== '') return v
  }
  return undefined
}

function strings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined
  const out = v.filter((s): s is string => typeof s === 'string')
  return out.length ? out : undefined
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k]
  return o
}

/** Returns an empty summary (not an error) for anything that is not a JSON object. */
export function summarizeConfig(config: unknown): ArchitectureSummary {
  if (!isObj(config)) return {}
  const s = summarizeLevel(config)
  if (isObj(config.text_config)) s.text = summarizeLevel(config.text_config)
  if (isObj(config.vision_config)) s.vision = summarizeLevel(config.vision_config)
  // A text model nested in a multimodal one may carry its own quantization; the top level wins.
  s.quantization ??= s.text?.quantization
  return dropUndefined(s)
}

function summarizeLevel(c: Obj): ArchitectureSummary {
  const layers = count(c, 'num_hidden_layers', 'n_layer', 'num_layers', 'n_layers', 'depth')
  const hiddenSize = count(c, 'hidden_size', 'n_embd', 'd_model', 'dim', 'embed_dim')
  const attentionHeads = count(c, 'num_attention_heads', 'n_head', 'num_heads', 'n_heads', 'encoder_attention_heads')
  // Falcon-style configs say multi_query instead of giving a KV head count.
  const kvHeads = count(c, 'num_key_value_heads', 'num_kv_heads', 'n_kv_heads', 'n_head_kv') ?? (c.multi_query === true ? 1 : undefined)
  // MLA (DeepSeek-V2/V3) has no head_dim: a query/key head is its no-rope part plus its rope part.
  const mlaHeadDim = count(c, 'qk_nope_head_dim') && count(c, 'qk_rope_head_dim') ? count(c, 'qk_nope_head_dim')! + count(c, 'qk_rope_head_dim')! : undefined
  const statedHeadDim = count(c, 'head_dim', 'attention_head_dim') ?? mlaHeadDim
  const derivedHeadDim = hiddenSize && attentionHeads && hiddenSize % attentionHeads === 0 ? hiddenSize / attentionHeads : undefined
  const s: ArchitectureSummary = {
    architectures: strings(c.architectures),
    modelType: text(c, 'model_type'),
    layers,
    hiddenSize,
    intermediateSize: count(c, 'intermediate_size', 'n_inner', 'ffn_dim', 'd_ff', 'ffn_hidden_size'),
    moeIntermediateSize: count(c, 'moe_intermediate_size', 'expert_intermediate_size'),
    attentionHeads,
    kvHeads,
    gqaRatio: attentionHeads && kvHeads && attentionHeads % kvHeads === 0 ? attentionHeads / kvHeads : undefined,
    headDim: statedHeadDim ?? derivedHeadDim,
    headDimSource: statedHeadDim ? 'config' : derivedHeadDim ? 'derived' : undefined,
    kvLoraRank: count(c, 'kv_lora_rank'),
    qLoraRank: count(c, 'q_lora_rank'),
    vocabSize: count(c, 'vocab_size', 'padded_vocab_size'),
    mtpLayers: count(c, 'num_nextn_predict_layers'),
    context: context(c),
    tiedEmbeddings: typeof c.tie_word_embeddings === 'boolean' ? c.tie_word_embeddings : undefined,
    // transformers 4.56 renamed torch_dtype to dtype; configs in the wild have either.
    dtype: text(c, 'dtype', 'torch_dtype'),
    moe: moe(c, layers),
    quantization: quantization(c.quantization_config) ?? mlxQuantization(c.quantization),
  }
  return dropUndefined(s)
}

function context(c: Obj): ContextSummary | undefined {
  // rope_scaling until transformers 4.5x; rope_parameters after (which may also hold plain rope_theta).
  const rope = isObj(c.rope_scaling) ? c.rope_scaling : isObj(c.rope_parameters) ? c.rope_parameters : {}
  const ropeType = text(rope, 'rope_type', 'type')
  const ctx: ContextSummary = {
    maxPositions: count(c, 'max_position_embeddings', 'n_positions', 'max_seq_len', 'seq_length', 'n_ctx', 'max_sequence_length'),
    ropeType: ropeType === 'default' ? undefined : ropeType,
    ropeFactor: positive(rope, 'factor'),
    originalMaxPositions: count(rope, 'original_max_position_embeddings') ?? count(c, 'original_max_position_embeddings'),
    // Many configs carry sliding_window with use_sliding_window: false; that window is not in effect.
    slidingWindow: c.use_sliding_window === false ? undefined : count(c, 'sliding_window'),
  }
  dropUndefined(ctx)
  return Object.keys(ctx).length ? ctx : undefined
}

function moe(c: Obj, layers: number | undefined): MoeSummary | undefined {
  const routedExperts = count(c, 'n_routed_experts', 'num_local_experts', 'num_experts', 'moe_num_experts', 'n_experts')
  if (!routedExperts || routedExperts < 2) return undefined
  // Qwen2-MoE has one shared expert whenever it gives the shared expert a size.
  const sharedExperts =
    count(c, 'n_shared_experts', 'num_shared_experts', 'moe_num_shared_experts') ?? (count(c, 'shared_expert_intermediate_size') ? 1 : undefined)
  const m: MoeSummary = {
    routedExperts,
    sharedExperts,
    expertsPerToken: count(c, 'num_experts_per_tok', 'num_experts_per_token', 'moe_topk', 'top_k', 'experts_per_token'),
  }
  const moeLayers = layers ? moeLayerCount(c, layers) : undefined
  if (layers && moeLayers !== undefined) {
    m.moeLayers = moeLayers
    m.denseLayers = layers - moeLayers
  }
  return dropUndefined(m)
}

/** Which layers hold experts, by the rules each family's modeling code applies. */
function moeLayerCount(c: Obj, layers: number): number | undefined {
  const firstDense = countOrZero(c, 'first_k_dense_replace')
  const freq = count(c, 'moe_layer_freq')
  if (firstDense !== undefined || freq !== undefined) {
    // DeepSeek: layer i has experts when i >= first_k_dense_replace and i % moe_layer_freq == 0.
    let n = 0
    for (let i = firstDense ?? 0; i < layers; i++) if (i % (freq ?? 1) === 0) n++
    return n
  }
  const step = count(c, 'decoder_sparse_step')
  if (step !== undefined) {
    // Qwen-MoE: layer i has experts when (i + 1) % decoder_sparse_step == 0 and it is not in mlp_only_layers.
    const mlpOnly = new Set(Array.isArray(c.mlp_only_layers) ? c.mlp_only_layers : [])
    let n = 0
    for (let i = 0; i < layers; i++) if ((i + 1) % step === 0 && !mlpOnly.has(i)) n++
    return n
  }
  // Mixtral and most others: every layer is sparse.
  return layers
}

function quantization(q: unknown): QuantizationSummary | undefined {
  if (!isObj(q)) return undefined
  const method = text(q, 'quant_method') ?? (q.load_in_4bit === true || q.load_in_8bit === true ? 'bitsandbytes' : undefined)
  if (!method) return undefined
  const s: QuantizationSummary = { method }
  const block = Array.isArray(q.weight_block_size) && q.weight_block_size.every((n) => typeof n === 'number' && n > 0) ? (q.weight_block_size as number[]) : undefined
  switch (method) {
    case 'fp8':
      s.format = text(q, 'fmt') ?? 'e4m3'
      s.bits = 8
      s.blockSize = block
      s.activationScheme = text(q, 'activation_scheme')
      break
    case 'bitsandbytes':
      if (q.load_in_4bit === true) {
        s.bits = 4
        s.format = text(q, 'bnb_4bit_quant_type')
      } else if (q.load_in_8bit === true) {
        s.bits = 8
      }
      break
    case 'compressed-tensors': {
      s.format = text(q, 'format')
      const groups = isObj(q.config_groups) ? Object.values(q.config_groups).filter(isObj) : []
      const weights = groups.map((g) => g.weights).find(isObj)
      if (weights) {
        s.bits = count(weights, 'num_bits')
        s.groupSize = count(weights, 'group_size')
        s.blockSize = Array.isArray(weights.block_structure) ? (weights.block_structure as number[]) : undefined
      }
      break
    }
    default:
      // gptq, awq, hqq, eetq, mxfp4, …: the common fields, under their common names.
      s.format = text(q, 'format', 'version')
      s.bits = count(q, 'bits', 'w_bit', 'nbits')
      s.groupSize = count(q, 'group_size', 'q_group_size')
      s.blockSize = block
  }
  s.skipped = strings(q.modules_to_not_convert) ?? strings(q.ignore) ?? strings(q.llm_int8_skip_modules)
  return dropUndefined(s)
}

/** mlx-lm writes `quantization: {group_size, bits}` with no quant_method. */
function mlxQuantization(q: unknown): QuantizationSummary | undefined {
  if (!isObj(q) || count(q, 'bits') === undefined) return undefined
  return dropUndefined({ method: 'mlx', bits: count(q, 'bits'), groupSize: count(q, 'group_size'), format: text(q, 'mode') })
}
