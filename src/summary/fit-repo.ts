// RepoSummary + a GPU budget → the `fit` object of `hfx info --fit`: which weights are sized, the fit, the
// engine flags. Pure; the budget (flags, GPU table or nvidia-smi) is read by the command.
import { KV_BYTES_PER_ELEMENT } from './kv-bytes.js'
import { engineFlags, type EngineFlags } from './fit-flags.js'
import { computeFit, FIT_OVERHEAD, type FitResult } from './fit.js'
import type { RepoSummary } from './summarize-repo.js'

export interface FitBudget {
  gpus: number
  gpuBytes: number
  /** Where the per-GPU figure came from: "80GiB" as given, the GPU table, or nvidia-smi's report. */
  source: 'size' | 'gpu-table' | 'nvidia-smi'
  /** The GPU's name (table or nvidia-smi). */
  gpuName?: string
  context?: number
  batch?: number
}

export interface RepoFit extends FitResult {
  budget: FitBudget
  overhead: { utilization: number; fixedBytes: number; text: string }
  kvPrecision: '16-bit'
  /** The weights that were sized, and from what. */
  weights?: { bytes: number; from: string }
  flags?: EngineFlags
  /** Why there is no answer at all (no weights could be sized). */
  unknown?: string
  /** Each weight variant of the repo (GGUF quantizations), fitted on its own: which of them a pull could take. */
  variants?: VariantFit[]
}

export interface VariantFit {
  name: string
  totalBytes: number
  fits: boolean
  /** The smallest tensor-parallel degree it fits at (when it fits). */
  tensorParallel?: number
}

/** The weights a server would load: safetensors as stored; for GGUF-only repos the largest variant. */
function weightsOf(s: RepoSummary): { bytes: number; from: string; format: 'safetensors' | 'gguf' } | undefined {
  const stored = s.safetensors?.params?.memory.stored
  if (stored) return { bytes: stored, from: 'safetensors, as stored', format: 'safetensors' }
  if (!s.gguf?.length) {
    // GGUF files whose headers were not read still have their sizes in the listing.
    const largest = s.variants?.variants.at(-1)
    return largest && { bytes: largest.totalBytes, from: `${largest.name} (the largest of ${s.variants!.variants.length} variants)`, format: 'gguf' }
  }
  // Split GGUF files (…-00001-of-00003.gguf) of one quantization are loaded together: sum them.
  const byQuant = new Map<string, number>()
  for (const g of s.gguf) {
    const quant = g.quantization ?? g.path
    byQuant.set(quant, (byQuant.get(quant) ?? 0) + g.size)
  }
  const [quant, bytes] = [...byQuant].sort((a, b) => b[1] - a[1])[0]!
  return { bytes, from: byQuant.size > 1 ? `GGUF ${quant} (the largest of ${byQuant.size} variants)` : `GGUF ${quant}`, format: 'gguf' }
}

export function fitRepo(s: RepoSummary, budget: FitBudget): RepoFit {
  const arch = s.architecture?.text ?? s.architecture
  const weights = weightsOf(s)
  const base = { budget, overhead: { ...FIT_OVERHEAD }, kvPrecision: '16-bit' as const }
  if (!weights) {
    return { ...base, fits: false, batch: budget.batch ?? 1, validTensorParallel: [], unknown: 'no safetensors or GGUF weights whose size could be read' }
  }
  const gguf = weights.format === 'gguf' ? s.gguf?.find((g) => g.contextLength) : undefined
  const fitOf = (weightsBytes: number) => computeFit({
    weightsBytes,
    kvModel: s.kvCache?.model,
    attentionHeads: arch?.attentionHeads,
    // MLA's num_key_value_heads names no cached heads; the latent is replicated (fit.ts).
    kvHeads: arch?.kvLoraRank ? undefined : arch?.kvHeads,
    context: budget.context,
    maxPositions: arch?.context?.maxPositions ?? gguf?.contextLength,
    batch: budget.batch,
    gpus: budget.gpus,
    gpuBytes: budget.gpuBytes,
    kvBytesPerElement: KV_BYTES_PER_ELEMENT['16-bit'],
  })
  const result = fitOf(weights.bytes)
  const flags = engineFlags(result, weights.format)
  const variants = s.variants?.variants.map((v): VariantFit => {
    const r = fitOf(v.totalBytes)
    return { name: v.name, totalBytes: v.totalBytes, fits: r.fits, ...(r.fits ? { tensorParallel: r.tensorParallel } : {}) }
  })
  return { ...base, ...result, weights: { bytes: weights.bytes, from: weights.from }, ...(flags ? { flags } : {}), ...(variants?.length ? { variants } : {}) }
}
