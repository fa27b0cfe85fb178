// The budget `hfx info --fit` is given: a memory size per GPU, a context length, or a GPU name from a small
// table. Pure; the flags turn a thrown InvalidArgumentError into a usage error.
//
// Units, decided once: `G`/`GB` are powers of 1000 (as GPUs are marketed and as disks count), `Gi`/`GiB` powers
// of 1024 (as nvidia-smi counts, in MiB); a bare number is refused, since either reading could be meant.
// Contexts: `32k` is 32,768 tokens and `128K` 131,072, as engines and model cards mean them (Llama-3.1's
// "128K" is max_position_embeddings 131,072); a plain number is taken as written.
import { InvalidArgumentError } from 'commander'
import { UsageError } from '../errors.js'
import type { FitBudget } from './fit-repo.js'

const SIZE_UNITS: Record<string, number> = {
  m: 1e6, mb: 1e6, mi: 2 ** 20, mib: 2 ** 20,
  g: 1e9, gb: 1e9, gi: 2 ** 30, gib: 2 ** 30,
  t: 1e12, tb: 1e12, ti: 2 ** 40, tib: 2 ** 40,
}

/** --fit's value: a size, or `auto` for the local GPUs. */
export function parseFitArg(text: string): number | 'auto' {
  return text.trim().toLowerCase() === 'auto' ? 'auto' : parseMemorySize(text)
}

/** `80GiB` → 85,899,345,920; `24GB` and `24G` → 24,000,000,000; `81559MiB` as nvidia-smi prints it. */
export function parseMemorySize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim())
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : 0
  if (!bytes) throw new InvalidArgumentError('expected a memory size per GPU such as 80GiB, 24GB or 81559MiB (G/GB = 10^9 bytes, Gi/GiB = 2^30).')
  return bytes
}

/** `32k` → 32,768; `128K` → 131,072; `1M` → 1,048,576; `8192` → 8,192. */
export function parseContext(text: string): number {
  const m = /^(\d+)\s*([km]?)$/i.exec(text.trim())
  const n = m ? Number(m[1]) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1024 : 1024 ** 2) : 0
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a context length in tokens such as 8192, 32k or 128K (k = 1,024).')
  return n
}

/**
 * Memory per GPU as each card is marketed, in decimal GB, taken as 10^9 bytes. That reading is a floor: the
 * driver reports a little more on most of them (an H100 SXM 80GB shows 81,559 MiB, 85.5 GB), so a fit
 * found here holds on the real card; `--fit auto` on the machine reads the exact figure from nvidia-smi.
 */
export const GPU_MEMORY_GB: Record<string, { name: string; gb: number }> = {
  H100: { name: 'H100 80GB (SXM/PCIe)', gb: 80 },
  H100NVL: { name: 'H100 NVL 94GB', gb: 94 },
  H200: { name: 'H200 141GB', gb: 141 },
  B200: { name: 'B200 192GB', gb: 192 },
  A10080GB: { name: 'A100 80GB', gb: 80 },
  A10040GB: { name: 'A100 40GB', gb: 40 },
  L40S: { name: 'L40S 48GB', gb: 48 },
  L4: { name: 'L4 24GB', gb: 24 },
  A10G: { name: 'A10G 24GB', gb: 24 },
  RTX4090: { name: 'RTX 4090 24GB', gb: 24 },
  RTX3090: { name: 'RTX 3090 24GB', gb: 24 },
}

export const GPU_NAMES = ['H100', 'H100-NVL', 'H200', 'B200', 'A100-80GB', 'A100-40GB', 'L40S', 'L4', 'A10G', 'RTX-4090', 'RTX-3090']

/** `H100`, `h100-nvl`, `RTX 4090`, `a100-80gb` → the card and its bytes; A100 alone is refused (two sizes). */
export function gpuByName(text: string): { name: string; bytes: number } {
  const key = text.toUpperCase().replace(/[\s_-]/g, '').replace(/^NVIDIA/, '').replace(/^GEFORCE/, '')
  const gpu = GPU_MEMORY_GB[key]
  if (!gpu) {
    const which = key === 'A100' ? 'A100 comes as A100-40GB and A100-80GB; say which. ' : ''
    throw new InvalidArgumentError(`${which}expected one of ${GPU_NAMES.join(', ')} (or give --fit a size such as 80GiB).`)
  }
  return { name: gpu.name, bytes: gpu.gb * 1e9 }
}

export interface FitFlags {
  /** `--fit 80GiB` parsed to bytes; true or "auto" for `--fit` alone (read the local GPUs). */
  fit?: number | 'auto' | true
  /** `--gpu H100`, looked up in the table. */
  gpu?: { name: string; bytes: number }
  gpus?: number
  context?: number
  batch?: number
}

/** The budget a fit is computed against: fit-repo.ts's FitBudget, resolved from the flags. */
export type ResolvedBudget = FitBudget

/**
 * The flags → the budget; undefined when no fit was asked for. `--gpus` defaults to 1 with a size or a GPU
 * name, and to the number nvidia-smi lists when it is read; with GPUs of different sizes the smallest
 * counts, since tensor parallelism gives every rank the same share. `readGpus` is nvidia-smi (local-gpus.ts).
 */
export async function resolveFitBudget(f: FitFlags, readGpus: () => Promise<{ name: string; bytes: number }[]>): Promise<ResolvedBudget | undefined> {
  const sized = typeof f.fit === 'number'
  if (f.fit === undefined && f.gpu === undefined) {
    const stray = f.gpus !== undefined ? '--gpus' : f.context !== undefined ? '--context' : f.batch !== undefined ? '--batch' : undefined
    if (stray) throw new UsageError(`${stray} only applies to a fit.`, 'Add --fit <size per GPU>, --fit alone (the local GPUs) or --gpu <name>.')
    return undefined
  }
  const rest = { ...(f.context !== undefined ? { context: f.context } : {}), ...(f.batch !== undefined ? { batch: f.batch } : {}) }
  if (f.gpu !== undefined) {
    if (sized) throw new UsageError('--fit <size> and --gpu <name> both give the memory per GPU.', 'Keep one of them.')
    return { gpus: f.gpus ?? 1, gpuBytes: f.gpu.bytes, source: 'gpu-table', gpuName: f.gpu.name, ...rest }
  }
  if (typeof f.fit === 'number') return { gpus: f.gpus ?? 1, gpuBytes: f.fit, source: 'size', ...rest }
  const local = await readGpus()
  const used = local.slice(0, f.gpus ?? local.length)
  const smallest = used.reduce((a, b) => (b.bytes < a.bytes ? b : a))
  const names = [...new Set(used.map((g) => g.name))]
  return { gpus: f.gpus ?? local.length, gpuBytes: smallest.bytes, source: 'nvidia-smi', gpuName: names.length === 1 ? names[0] : smallest.name, ...rest }
}
