// KvModel (kv-model.ts) → bytes, at a KV precision, a context and a batch. Pure, so a fit computation can
// ask "how much at 32K, batch 4, fp8 KV" without reading anything again.
import type { KvModel } from './kv-model.js'

/** The KV precisions shown: 16-bit (bf16/fp16, the engines' default) and 8-bit (fp8/int8 KV cache). */
export const KV_BYTES_PER_ELEMENT = { '16-bit': 2, '8-bit': 1 } as const

/** Contexts the summary sizes the cache at, besides the model's own maximum. */
export const KV_CONTEXTS = [4096, 32_768, 131_072]

/**
 * Bytes one more token adds while the context is shorter than every window: what "per token" means. A
 * longer context adds less, as sliding-window layers stop growing; kvBytes() applies the cap.
 */
export function kvBytesPerToken(model: KvModel, bytesPerElement: number): number {
  return model.groups.reduce((n, g) => n + g.layers * g.elementsPerToken, 0) * bytesPerElement
}

/**
 * Cache bytes for `batch` sequences of `context` tokens: Σ over layers of min(context, window) × elements,
 * plus each sequence's constant recurrent state. The state is counted at the same width as the KV cache;
 * undefined when the state size is unknown, since a total without it would be too small to plan with.
 */
export function kvBytes(model: KvModel, context: number, batch = 1, bytesPerElement: number = KV_BYTES_PER_ELEMENT['16-bit']): number | undefined {
  if (model.unknown !== undefined) return undefined
  let elements = 0
  for (const g of model.groups) elements += g.layers * g.elementsPerToken * Math.min(context, g.window ?? Number.POSITIVE_INFINITY)
  elements += model.state?.elements ?? 0
  return elements * bytesPerElement * batch
}

export interface KvAtContext {
  context: number
  /** Bytes for one sequence, by KV precision. */
  bytes: Record<keyof typeof KV_BYTES_PER_ELEMENT, number>
}

export interface KvCacheSummary {
  model: KvModel
  perToken?: Record<keyof typeof KV_BYTES_PER_ELEMENT, number>
  /** Constant state per sequence at 16 bits (Mamba/linear-attention layers). */
  stateBytes?: number
  atContexts: KvAtContext[]
}

/** The figures `hfx info` shows: per token and at the standard contexts up to the model's maximum. */
export function summarizeKv(model: KvModel, maxPositions: number | undefined): KvCacheSummary {
  const s: KvCacheSummary = { model, atContexts: [] }
  if (model.unknown !== undefined && model.groups.length === 0 && !model.state) return s
  if (model.groups.length) {
    s.perToken = { '16-bit': kvBytesPerToken(model, 2), '8-bit': kvBytesPerToken(model, 1) }
  }
  if (model.state?.elements !== undefined) s.stateBytes = model.state.elements * KV_BYTES_PER_ELEMENT['16-bit']
  const contexts = KV_CONTEXTS.filter((c) => maxPositions === undefined || c <= maxPositions)
  if (maxPositions !== undefined && !contexts.includes(maxPositions)) contexts.push(maxPositions)
  for (const context of contexts) {
    const b16 = kvBytes(model, context, 1, 2)
    const b8 = kvBytes(model, context, 1, 1)
    if (b16 !== undefined && b8 !== undefined) s.atContexts.push({ context, bytes: { '16-bit': b16, '8-bit': b8 } })
  }
  return s
}
