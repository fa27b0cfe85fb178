// RepoFit → the "Fit" rows of `hfx info --fit`: the budget, the stated overhead, each GPU's share, the
// answer, and the flags to run it with. Pure.
import { formatBinaryBytes, formatCount, formatMemory, plural } from '../format.js'
import { contextLabel } from './render-kv.js'
import type { RepoFit } from './fit-repo.js'

type Row = [label: string, value: string]

function tokens(n: number): string {
  const label = contextLabel(n)
  return label === formatCount(n) ? plural(n, 'token') : `${plural(n, 'token')} (${label})`
}

export function fitTitle(f: RepoFit): string {
  const b = f.budget
  const gpu = b.gpuName ? ` ${b.gpuName}` : ''
  const from = b.source === 'nvidia-smi' ? ', from nvidia-smi' : ''
  return `Fit (${b.gpus} ×${gpu} ${formatBinaryBytes(b.gpuBytes)}${from})`
}

export function fitRows(f: RepoFit, repoId: string): Row[] {
  const rows: Row[] = []
  if (f.unknown) return [['Unknown', f.unknown]]
  const per = f.perGpu
  rows.push(['Overhead', f.overhead.text])
  if (per) rows.push(['Usable', `${formatBinaryBytes(per.usableBytes)} per GPU`])
  if (f.weights) rows.push(['Weights', `${formatMemory(f.weights.bytes)}, ${f.weights.from}${per ? `; ${formatBinaryBytes(per.weightsBytes)} per GPU at TP ${per.tensorParallel}` : ''}`])
  const batch = f.batch > 1 ? ` × ${f.batch} sequences` : ''
  if (f.kvUnknown) rows.push(['KV cache', `not sized (${f.kvUnknown}): this answer covers the weights only`])
  else if (per?.kvBytes !== undefined) rows.push(['KV cache', `${formatBinaryBytes(per.kvBytes)} per GPU at ${contextLabel(per.context)}${batch}, ${f.kvPrecision}`])
  const tps = `TP ${f.validTensorParallel.join('/')} allowed by the heads`
  if (f.minTensorParallel === undefined) {
    rows.push(['Fits', `no: the weights alone need more than ${plural(f.budget.gpus, 'GPU')} hold (${tps})`])
  } else if (f.fits) {
    const at = f.context !== undefined ? ` at ${tokens(f.context)}${batch}` : ''
    rows.push(['Fits', `yes, on ${plural(f.tensorParallel!, 'GPU')} (TP ${f.tensorParallel}, the smallest that fits${at}; ${tps})`])
  } else if (f.maxContext) {
    rows.push(['Fits', `no, not at ${tokens(f.context!)}${batch}, even at TP ${f.tensorParallel} (the weights alone fit from TP ${f.minTensorParallel})`])
  } else {
    rows.push(['Fits', `no: the weights fit from TP ${f.minTensorParallel}, but leave no room for the KV cache${batch}`])
  }
  if (f.maxContext) {
    const cap = f.maxContext === f.maxPositions ? ", the model's maximum (max_position_embeddings)" : ''
    rows.push(['Max context', `${tokens(f.maxContext)}${batch} at TP ${f.tensorParallel}${cap}`])
  }
  const flags = f.flags
  if (flags?.vllm) rows.push(['vLLM', `vllm serve ${repoId} ${flags.vllm}`])
  if (flags?.sglang) rows.push(['SGLang', `python -m sglang.launch_server --model-path ${repoId} ${flags.sglang}`])
  if (flags?.llamaCpp) rows.push(['llama.cpp', `llama-server -hf ${repoId} ${flags.llamaCpp}`])
  return rows
}
