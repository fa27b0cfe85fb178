// Reads one safetensors file's header with at most two small Range reads: the first usually holds the
// 8-byte length and the whole header; a second one fetches the rest when the header is longer than guessed.
// @huggingface/hub's parseSafetensorsMetadata does the same job, but through its own resolve-URL blob that
// sends a HEAD and a request per slice to /resolve/ (counted against the resolver rate limit), cannot report
// the bytes it read, and takes the whole repo; we keep its validation rules (safetensors-parse.ts) instead.
import { locateFile } from '../hub/file-head.js'
import type { HubIO } from '../hub/get-json.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { readRange, type ReadMeter } from './range-read.js'
import { headerLength, parseHeader, SafetensorsHeaderError, type ParsedHeader } from './safetensors-parse.js'

/** Without a better guess: enough for the whole header of almost every real shard (DeepSeek-V3's are ~100 kB). */
export const DEFAULT_FIRST_READ = 100_000
const MIN_FIRST_READ = 4096
const MAX_FIRST_READ = 1_000_000

/**
 * The first read's size when the index says which tensors a shard holds: a header entry is its name plus
 * about 90 bytes of dtype, shape and offsets. A close guess means one request and few wasted bytes; a low
 * one costs only the second read.
 */
export function firstReadFor(tensorNames: string[] | undefined): number {
  if (!tensorNames?.length) return DEFAULT_FIRST_READ
  const guess = tensorNames.reduce((n, name) => n + name.length + 96, 8 + 256)
  return Math.min(MAX_FIRST_READ, Math.max(MIN_FIRST_READ, Math.ceil(guess * 1.25)))
}

export async function readSafetensorsHeader(
  io: HubIO,
  ref: RepoRef,
  commit: string,
  file: { path: string; size: number },
  firstRead: number,
  meter: ReadMeter,
): Promise<ParsedHeader> {
  // Checked before any request: an empty or tiny file cannot hold a header, and would make an invalid Range.
  if (file.size < 8) throw new SafetensorsHeaderError(file.path, `too short to be a safetensors file (${file.size} bytes)`)
  const { url } = await locateFile(io, ref, commit, file.path)
  meter.requests++
  const src = { url, repoId: ref.id, path: file.path, commit }
  const first = await readRange(io, src, 0, Math.min(firstRead, file.size), meter)
  const n = headerLength(first, file.size, file.path)
  let json = first.subarray(8, 8 + n)
  if (first.length < 8 + n) {
    const rest = await readRange(io, src, first.length, 8 + n, meter)
    json = Buffer.concat([first.subarray(8), rest])
  }
  return parseHeader(json, n, file.size, file.path)
}
