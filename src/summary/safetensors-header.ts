// Reads one safetensors file's header with at most two small Range reads: the first usually holds the
// 8-byte length and the whole header; a second one fetches the rest when the header is longer than guessed.
// @huggingface/hub's parseSafetensorsMetadata does the same job, but through its own resolve-URL blob that
// sends a HEAD and a request per slice to /resolve/ (counted against the resolver rate limit), cannot report
// the bytes it read, and takes the whole repo; we keep its validation rules (safetensors-parse.ts) instead.
import { ProtocolError } from '../errors.js'
import type { Hub, ReadMeter } from '../hub/hub.js'
import { repoName, type RepoRef } from '../repo/repo-ref.js'
import { headerLength, parseHeader, SafetensorsHeaderError, type ParsedHeader } from './safetensors-parse.js'

/**
 * Header bytes one `hfx info` reads across all of a repo's shards. The largest real checkpoints have about
 * 90,000 (DeepSeek-V3: ~12 MB of headers in all) to 140,000 tensors (Kimi-K2: ~18 MB); 64 MB leaves room
 * for bigger ones while bounding what a hostile repo costs (12 shards of 10 MB headers once took 880 MB).
 * Bytes are reserved before they are asked for, so the reads in flight never hold more than this either.
 */
export const MAX_REPO_HEADER_BYTES = 64_000_000

/** The repo's headers already reach MAX_REPO_HEADER_BYTES: this shard is not read (summarize-repo.ts says so once). */
export class HeaderBudgetError extends ProtocolError {
  override readonly code = 'HEADER_BUDGET'
}

export class HeaderBudget {
  private used = 0
  constructor(readonly max = MAX_REPO_HEADER_BYTES) {}

  take(n: number, path: string): void {
    if (this.used + n > this.max) throw new HeaderBudgetError(`${path}: not read, the repo's safetensors headers would pass ${this.max / 1e6} MB`)
    this.used += n
  }
}

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
  hub: Hub,
  ref: RepoRef,
  commit: string,
  file: { path: string; size: number },
  firstRead: number,
  meter: ReadMeter,
  budget: HeaderBudget,
): Promise<ParsedHeader> {
  // Checked before any request: an empty or tiny file cannot hold a header, and would make an invalid Range.
  if (file.size < 8) throw new SafetensorsHeaderError(file.path, `too short to be a safetensors file (${file.size} bytes)`)
  const firstBytes = Math.min(firstRead, file.size)
  budget.take(firstBytes, file.path)
  const { url } = await hub.locateFile(ref, commit, file.path)
  meter.requests++
  const src = { url, repoId: repoName(ref), path: file.path, commit }
  const first = await hub.readRange(src, 0, firstBytes, meter)
  const n = headerLength(first, file.size, file.path)
  let json = first.subarray(8, 8 + n)
  if (first.length < 8 + n) {
    budget.take(8 + n - first.length, file.path)
    const rest = await hub.readRange(src, first.length, 8 + n, meter)
    json = Buffer.concat([first.subarray(8), rest])
  }
  return parseHeader(json, n, file.size, file.path)
}
