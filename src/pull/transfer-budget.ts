// What one file may cost in one run before hfx stops believing the server will ever deliver it. The chunk
// loop's "failures in a row without progress" rule stops a server that sends nothing; it cannot stop one
// that always sends a little: a server that ignores Range and cuts every body short restarts the file at
// byte 0 each time (236 GETs for a 2 MB file in 90 s before this existed), and one that creeps a few bytes
// further each time would go on for as many requests as the file has bytes. So every file also has a
// budget, in bytes and in failed requests, checked before each retry (pull/next-step.ts). Pure: the chunk
// loop counts, this only judges.

/**
 * Bytes one file may cost, as a multiple of its size: one full pass, plus the integrity re-fetch (a
 * mismatch throws the bytes away and fetches the file once more), plus one pass' worth of restarts. An
 * honest server that honours Range never gets near it (resumes re-fetch nothing); one that ignores Range
 * and cannot deliver the file within three times its size is not going to, and the user is better told.
 */
export const TRANSFER_FACTOR = 3
/** Failed requests any file may have, whatever its size: a few bursts across all its connections. */
const FAILED_REQUESTS_BASE = 32
/**
 * And per chunk it was cut into, on average: a proxy that drops connections every 30 s still lets a
 * 16 MiB chunk through in four pieces at 0.13 MB/s per connection, which is slower than any useful download.
 */
const FAILED_REQUESTS_PER_CHUNK = 4

/** One file's spending in this run, across every attempt and connection; the chunk loop counts. */
export class TransferBudget {
  /** Body bytes written for this file in this run, across every attempt. */
  transferred = 0
  /** GETs started for this file (for the message: the request log counts the same). */
  requests = 0
  /** Failed requests that were retried. */
  failed = 0
  readonly maxBytes: number
  readonly maxFailed: number

  constructor(size: number, chunkSize: number) {
    this.maxBytes = TRANSFER_FACTOR * size
    this.maxFailed = FAILED_REQUESTS_BASE + FAILED_REQUESTS_PER_CHUNK * Math.max(1, Math.ceil(size / chunkSize))
  }
}

/**
 * After a failed request: whether retrying it, which may bring `next` more bytes, stays within the budget.
 * Only retries are checked, so the total can pass maxBytes by what other connections already had in flight.
 */
export function allowsRetry(b: Readonly<TransferBudget>, next: number): boolean {
  return b.failed + 1 <= b.maxFailed && b.transferred + next <= b.maxBytes
}
