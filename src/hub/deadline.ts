// An overall deadline for each metadata request (repo info, tree pages, HEAD/resolve, config and index
// JSON, `hfx info`'s header reads), headers and body together. The timeouts (HF_HUB_ETAG_TIMEOUT, and
// undici's headers/body timeouts under it) only measure silence: a server that sends a byte a second is
// never silent, and used to hold `hfx ls` for ever. File bytes are not under it (a large file may rightly
// take hours); a download connection has a speed floor instead (HFX_MIN_SPEED, hub/transport.ts).
import { DeadlineError } from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'

/** The two things of a session's HubIO (get-json.ts) a deadline needs. */
interface DeadlineIO {
  metadataTimeoutMs?: number
  signal?: AbortSignal
}

/**
 * The deadline, in HF_HUB_ETAG_TIMEOUTs: a minute by default. A tree page is a quarter of a MB and a repo
 * info a few MB at most, a few seconds on a slow link; six silences' worth is generous for an answer that is
 * arriving at all, and short enough that a trickling server is named within a minute, not never.
 */
export const DEADLINE_TIMEOUTS = 6
const DEFAULT_TIMEOUT_MS = 10_000
/** For reads of a known size (a safetensors header may be 25 MB): this much time more per byte, at 64 kB/s. */
const SLOWEST_BYTES_PER_SEC = 64 * 1024

export function metadataDeadlineMs(io: Pick<DeadlineIO, 'metadataTimeoutMs'>, knownBytes = 0): number {
  return DEADLINE_TIMEOUTS * (io.metadataTimeoutMs ?? DEFAULT_TIMEOUT_MS) + Math.ceil((knownBytes * 1000) / SLOWEST_BYTES_PER_SEC)
}

/**
 * Runs one request, body included, with a signal that aborts at the deadline (or when the user interrupts);
 * `exchange` must have read the whole answer before it returns. A deadline hit becomes a DeadlineError.
 */
export async function withDeadline<T>(io: DeadlineIO, url: string, ms: number, exchange: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), ms)
  const signal = io.signal ? AbortSignal.any([io.signal, deadline.signal]) : deadline.signal
  try {
    return await exchange(signal)
  } catch (err) {
    if (deadline.signal.aborted && !io.signal?.aborted) throw new DeadlineError(redactUrl(url), ms, { cause: err })
    throw err
  } finally {
    clearTimeout(timer)
  }
}
