// GGUF metadata → the facts `hfx info` shows per file. Pure: the reader (gguf-file.ts) hands over the parsed
// key/value metadata. Keys are namespaced by architecture (`llama.context_length`), per llama.cpp's GGUF spec.
import { GGMLFileQuantizationType, parseGGUFQuantLabel } from '@huggingface/gguf'

export interface GgufFileSummary {
  path: string
  size: number
  architecture?: string
  name?: string
  /** From general.file_type (Q4_K_M, Q8_0, BF16…), else from the file name. */
  quantization?: string
  contextLength?: number
  parameters?: number
  tensors?: number
  layers?: number
  embeddingLength?: number
  heads?: number
  kvHeads?: number
  experts?: number
  expertsPerToken?: number
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

export function fileTypeLabel(fileType: unknown): string | undefined {
  const n = num(fileType)
  if (n === undefined) return undefined
  const name = (GGMLFileQuantizationType as unknown as Record<number, string>)[n]
  return typeof name === 'string' ? name : `file_type ${n}`
}

export function summarizeGguf(
  file: { path: string; size: number },
  metadata: Record<string, unknown>,
  parsed: { parameterCount?: number; tensorCount?: number },
): GgufFileSummary {
  const arch = str(metadata['general.architecture'])
  const key = (k: string) => (arch ? metadata[`${arch}.${k}`] : undefined)
  const s: GgufFileSummary = {
    path: file.path,
    size: file.size,
    architecture: arch,
    name: str(metadata['general.name']),
    quantization: fileTypeLabel(metadata['general.file_type']) ?? parseGGUFQuantLabel(file.path.split('/').pop() ?? ''),
    contextLength: num(key('context_length')),
    parameters: parsed.parameterCount,
    tensors: parsed.tensorCount,
    layers: num(key('block_count')),
    embeddingLength: num(key('embedding_length')),
    heads: num(key('attention.head_count')),
    kvHeads: num(key('attention.head_count_kv')),
    experts: num(key('expert_count')),
    expertsPerToken: num(key('expert_used_count')),
  }
  for (const k of Object.keys(s) as (keyof GgufFileSummary)[]) if (s[k] === undefined) delete s[k]
  return s
}
