// Will a model run on these GPUs, at what context, on how many of them? Pure: weights bytes, the KV model
// (kv-model.ts) and a budget in, an answer out. `hfx info --fit` and `pull --fit` both ask it (computeFit: "fit" alone reads as a focused test to the linter).
//
// The overhead assumption, stated once: of each GPU's memory, 10 % is left unused (vLLM's default
// gpu_memory_utilization is 0.9; the rest absorbs allocator fragmentation and other processes) and 1 GiB
// more is taken by the CUDA context, cuBLAS/NCCL workspaces and the activations of one forward pass. What
// is left holds this GPU's share of the weights and of the KV cache. It is an estimate: long prefills,
// CUDA graphs and vision towers can need more, so a fit within a few percent is worth a margin.
//
// Sharding under tensor parallelism (TP), as vLLM and SGLang do it:
// - weights are split evenly across the TP ranks (the small replicated norms are ignored);
// - K/V heads are split across ranks; with more ranks than KV heads each rank keeps one replicated head,
//   so a rank holds KV / min(TP, KV heads);
// - MLA's latent is not split by head: every rank keeps the whole latent cache (vLLM, SGLang without DP attention);
// - recurrent (Mamba, linear-attention) state is split by head, like the weights.
import { kvBytes, KV_BYTES_PER_ELEMENT } from './kv-bytes.js'
import type { KvModel } from './kv-model.js'

const GiB = 2 ** 30

export interface Overhead {
  utilization: number
  fixedBytes: number
}

export const FIT_OVERHEAD: Overhead & { text: string } = {
  /** Share of each GPU the engine may use (vLLM's gpu_memory_utilization default). */
  utilization: 0.9,
  /** Per GPU, inside that share: CUDA context, workspaces, activations. */
  fixedBytes: GiB,
  text: '10% of each GPU left free (vLLM gpu_memory_utilization 0.9), then 1 GiB for the CUDA context, workspaces and activations',
}

/** When config.json gives no maximum, the largest context searched. */
export const CONTEXT_SEARCH_CAP = 1024 * 1024

export interface FitInput {
  /** The weights as they will be loaded (the checkpoint as stored, or one GGUF variant). */
  weightsBytes: number
  kvModel?: KvModel
  /** Heads, to check which TP degrees are valid and how the KV heads split; absent ones are not checked. */
  attentionHeads?: number
  kvHeads?: number
  /** The context the user wants; default the model's maximum. */
  context?: number
  /** max_position_embeddings: no context past it is answered. */
  maxPositions?: number
  /** Sequences at that context at once. */
  batch?: number
  gpus: number
  /** Memory of each GPU (the smallest, when they differ). */
  gpuBytes: number
  kvBytesPerElement?: number
  overhead?: Overhead
}

export interface FitAtTp {
  tensorParallel: number
  /** Usable bytes per GPU after the overhead. */
  usableBytes: number
  weightsBytes: number
  /** This rank's KV cache (and recurrent state) at `context`; absent when the KV part cannot be sized. */
  kvBytes?: number
  context: number
}

export interface FitResult {
  /** Weights and the KV cache at the wanted context (× batch) fit on `tensorParallel` GPUs. */
  fits: boolean
  /** The context asked about: --context, else the model's maximum (absent when neither is known). */
  context?: number
  /** max_position_embeddings, echoed: maxContext never passes it. */
  maxPositions?: number
  batch: number
  /** TP degrees the heads allow, powers of two up to the GPU count. */
  validTensorParallel: number[]
  /** The smallest TP that fits at `context`; when none does, the largest valid one (most memory). */
  tensorParallel?: number
  /** The smallest TP at which the weights alone fit. */
  minTensorParallel?: number
  /** The largest context (≤ maxPositions) that fits at `tensorParallel`; absent when the KV cannot be sized. */
  maxContext?: number
  /** Per-GPU figures at `tensorParallel` and `context`. */
  perGpu?: FitAtTp
  /** Why the KV part is missing: the answer then covers the weights only. */
  kvUnknown?: string
}

export function usableBytes(gpuBytes: number, overhead: Overhead = FIT_OVERHEAD): number {
  return Math.max(0, Math.floor(gpuBytes * overhead.utilization) - overhead.fixedBytes)
}

/**
 * TP degrees engines accept: powers of two up to `gpus`, dividing the attention heads, and either dividing
 * the KV heads or being a multiple of them (then KV heads are replicated; vLLM's rule).
 */
export function validTensorParallel(gpus: number, attentionHeads?: number, kvHeads?: number): number[] {
  const out: number[] = []
  for (let tp = 1; tp <= gpus; tp *= 2) {
    if (attentionHeads && attentionHeads % tp !== 0) continue
    if (kvHeads && kvHeads % tp !== 0 && tp % kvHeads !== 0) continue
    out.push(tp)
  }
  return out
}

/** One rank's KV cache and state at a context; undefined when the model cannot be sized. */
export function kvBytesPerRank(m: KvModel, context: number, batch: number, tp: number, bytesPerElement: number, kvHeads?: number): number | undefined {
  if (m.unknown !== undefined) return undefined
  const attention = kvBytes({ ...m, state: undefined }, context, batch, bytesPerElement) ?? 0
  const state = (m.state?.elements ?? 0) * bytesPerElement * batch
  const kvSplit = m.attention === 'MLA' ? 1 : kvHeads ? Math.min(tp, kvHeads) : tp
  return Math.ceil(attention / kvSplit) + Math.ceil(state / tp)
}

export function computeFit(input: FitInput): FitResult {
  const batch = input.batch ?? 1
  const bpe = input.kvBytesPerElement ?? KV_BYTES_PER_ELEMENT['16-bit']
  const usable = usableBytes(input.gpuBytes, input.overhead ?? FIT_OVERHEAD)
  const tps = validTensorParallel(input.gpus, input.attentionHeads, input.kvHeads)
  const wanted = input.context !== undefined && input.maxPositions !== undefined ? Math.min(input.context, input.maxPositions) : (input.context ?? input.maxPositions)
  const model = input.kvModel
  const kvUnknown = !model ? 'no config.json to size the KV cache from' : model.unknown
  const result: FitResult = { fits: false, batch, validTensorParallel: tps, ...(wanted !== undefined ? { context: wanted } : {}) }
  if (input.maxPositions !== undefined) result.maxPositions = input.maxPositions
  if (kvUnknown !== undefined) result.kvUnknown = kvUnknown

  const weightsPerRank = (tp: number) => Math.ceil(input.weightsBytes / tp)
  const kvAt = (tp: number, context: number) => (model && kvUnknown === undefined ? kvBytesPerRank(model, context, batch, tp, bpe, input.kvHeads) : undefined)
  const fitsAt = (tp: number, context: number) => weightsPerRank(tp) + (kvAt(tp, context) ?? 0) <= usable
  const at = (tp: number, context: number): FitAtTp => {
    const kv = kvAt(tp, context)
    return { tensorParallel: tp, usableBytes: usable, weightsBytes: weightsPerRank(tp), ...(kv !== undefined ? { kvBytes: kv } : {}), context }
  }

  // tps always holds 1, so the largest degree exists.
  const largest = tps.at(-1)!
  const minTp = tps.find((tp) => weightsPerRank(tp) < usable)
  if (minTp === undefined) {
    result.tensorParallel = largest
    result.perGpu = at(largest, wanted ?? 1)
    return result
  }
  result.minTensorParallel = minTp
  // Without a context to ask about (no --context, no max_position_embeddings), one token is the question.
  const context = wanted ?? 1
  const tp = tps.find((t) => fitsAt(t, context))
  result.fits = tp !== undefined
  result.tensorParallel = tp ?? largest
  result.perGpu = at(result.tensorParallel, context)
  if (kvUnknown === undefined) {
    const cap = input.maxPositions ?? CONTEXT_SEARCH_CAP
    result.maxContext = largestContext((c) => fitsAt(result.tensorParallel!, c), cap)
  }
  return result
}

/** The largest context in [1, cap] for which `fits` holds (KV bytes never shrink as the context grows); 0 if none. */
export function largestContext(fits: (context: number) => boolean, cap: number): number {
  if (!fits(1)) return 0
  if (fits(cap)) return cap
  let lo = 1
  let hi = cap
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (fits(mid)) lo = mid
    else hi = mid
  }
  return lo
}
