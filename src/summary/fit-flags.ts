// A fit answer → the flags each engine takes for it. Pure. vLLM and SGLang serve safetensors checkpoints
// with tensor parallelism; llama.cpp serves GGUF and spreads layers over every visible GPU by itself, so it
// only needs the context and "all layers on the GPU". A batch over 1 becomes each engine's cap on sequences
// run at once (vLLM --max-num-seqs, SGLang --max-running-requests, llama.cpp --parallel, which splits -c
// between its slots, so -c is the total).
import type { FitResult } from './fit.js'

export interface EngineFlags {
  /** The context the flags set: the one asked for when it fits, else the largest that fits (to 1,024 tokens). */
  context?: number
  tensorParallel: number
  vllm?: string
  sglang?: string
  llamaCpp?: string
}

export function engineFlags(r: FitResult, format: 'safetensors' | 'gguf'): EngineFlags | undefined {
  if (r.tensorParallel === undefined || r.minTensorParallel === undefined) return undefined
  const context = r.fits ? (r.context !== undefined && r.maxContext !== undefined ? Math.min(r.context, r.maxContext) : (r.context ?? r.maxContext)) : roundDown(r.maxContext)
  if (r.maxContext === 0 || (!r.fits && context === undefined)) return undefined
  const tp = r.tensorParallel
  const many = r.batch > 1
  const join = (parts: (string | false)[]) => parts.filter(Boolean).join(' ')
  if (format === 'gguf') {
    return { context, tensorParallel: tp, llamaCpp: join([context !== undefined && `-c ${context * r.batch}`, '-ngl 999', many && `--parallel ${r.batch}`]) }
  }
  return {
    context,
    tensorParallel: tp,
    vllm: join([context !== undefined && `--max-model-len ${context}`, `--tensor-parallel-size ${tp}`, many && `--max-num-seqs ${r.batch}`]),
    sglang: join([context !== undefined && `--context-length ${context}`, `--tp ${tp}`, many && `--max-running-requests ${r.batch}`]),
  }
}

/** A context that did not reach the one asked for is offered as a round figure: whole K where it is over 1K. */
function roundDown(context: number | undefined): number | undefined {
  if (context === undefined || context < 1024) return context || undefined
  return context - (context % 1024)
}
