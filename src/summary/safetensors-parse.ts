// The safetensors header, from bytes: an 8-byte little-endian length n, then n bytes of JSON
// {name: {dtype, shape, data_offsets}, "__metadata__": {...}}. Pure; the reader decides which bytes to fetch.
// Every check here turns hostile or broken data into a SafetensorsHeaderError that names the file, so one bad
// shard becomes a note in the summary instead of a crash or an unbounded read.
import { validateTensorEntry, type TensorInfo } from '@huggingface/hub'
import { ProtocolError } from '../errors.js'

/**
 * The format allows headers of up to 100 MB, but huggingface_hub and @huggingface/hub's parser
 * (MAX_HEADER_LENGTH = 25e6) refuse them over 25 MB, so nothing a Hugging Face library loads is refused here.
 * Real ones are far smaller: a DeepSeek-V3 shard's is about 100 kB, a dense 100B-parameter model's whole
 * header under 2 MB. The total a repo may cost is capped in safetensors-header.ts.
 */
export const MAX_HEADER_BYTES = 25_000_000

export class SafetensorsHeaderError extends ProtocolError {
  override readonly code = 'BAD_SAFETENSORS_HEADER'
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`)
  }
}

export interface TensorEntry {
  name: string
  dtype: string
  shape: number[]
  /** Bytes of the tensor's data, from data_offsets (the format's ground truth, padding included). */
  bytes: number
}

export interface ParsedHeader {
  tensors: TensorEntry[]
  metadata: Record<string, string>
}

/**
 * The header's length from the file's first 8 bytes, checked against the file: a length past the end of
 * the file (or over the cap) is broken or hostile data, and reading it would be an unbounded read.
 */
export function headerLength(first8: Buffer, fileSize: number, path: string): number {
  if (first8.length < 8 || fileSize < 8) throw new SafetensorsHeaderError(path, `too short to be a safetensors file (${fileSize} bytes)`)
  const n = first8.readBigUInt64LE(0)
  if (n === 0n) throw new SafetensorsHeaderError(path, 'header length is 0')
  if (n > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsHeaderError(path, `header length ${n} is over the ${MAX_HEADER_BYTES}-byte cap`)
  if (n > BigInt(fileSize - 8)) throw new SafetensorsHeaderError(path, `header length ${n} runs past the end of the ${fileSize}-byte file`)
  return Number(n)
}

export function parseHeader(json: Buffer, headerBytes: number, fileSize: number, path: string): ParsedHeader {
  let raw: unknown
  try {
    raw = JSON.parse(json.toString('utf8'))
  } catch {
    throw new SafetensorsHeaderError(path, 'header is not valid JSON')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsHeaderError(path, 'header is not a JSON object')
  const dataSize = fileSize - 8 - headerBytes
  const tensors: TensorEntry[] = []
  let metadata: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value === 'object' && value !== null) metadata = value as Record<string, string>
      continue
    }
    const info = value as TensorInfo
    if (typeof info !== 'object' || info === null || typeof info.dtype !== 'string') {
      throw new SafetensorsHeaderError(path, `tensor "${name}" has no dtype`)
    }
    try {
      // hub.js's checks: integer dims under 2^32, sane offsets, and (given the data section's size) in the file.
      validateTensorEntry(path, name, info, dataSize)
    } catch (err) {
      throw new SafetensorsHeaderError(path, (err as Error).message.replace(/^Failed to parse file [^:]*: /, ''))
    }
    tensors.push({ name, dtype: info.dtype, shape: info.shape, bytes: info.data_offsets[1] - info.data_offsets[0] })
  }
  return { tensors, metadata }
}
