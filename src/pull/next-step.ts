// What the chunk loop does after a failed request: follow a redirect, resolve an expired URL again, wait and
// retry, or give the file up. Every bound on one chunk's retries is here, next to the file's overall budget
// (transfer-budget.ts), so each rule is read, and tested, as a row of a table. Pure: the loop
// (fetch-chunks.ts) passes the error, where it stood and its counters, and only carries out the step.
import { ProtocolError, CutShortError, SlowConnectionError, UrlKeepsExpiringError } from '../errors.js'
import { RangeIgnoredError } from '../hub/range-answer.js'
import { retryDelayMs } from '../retry/policy.js'
import { retryDetail, transient, type RetryNotice, type Transient } from '../retry/with-retry.js'
import { ExpiredUrlError, RedirectedError } from './range-request.js'
import { allowsRetry, type TransferBudget } from './transfer-budget.js'

/** Failed requests in a row, on one chunk, that got no further than the chunk had ever got, before the file is given up. */
export const MAX_FAILURES_WITHOUT_PROGRESS = 6
/**
 * The same for a server that ignores Range, where every retry starts the file again at byte 0 and costs the
 * whole prefix once more: a blip is covered by two more tries; after that the same cut is only repeated.
 */
export const MAX_RESTARTS_WITHOUT_PROGRESS = 3
/** Re-resolutions of an expired URL, per chunk, before we stop believing the CDN will ever accept one. */
export const MAX_EXPIRED = 5
/**
 * Attempts in a row, on one chunk, that the speed floor ended (HFX_MIN_SPEED over HFX_MIN_SPEED_TIME) before
 * the file is given up. A trickle always gets a little further, so "failures without progress" never counts
 * it; this does: a new connection is worth a try (another CDN node, another route), three slow ones in a row
 * say the trickle is where the file is. Another ending (a reset, a stall) starts the count again.
 */
export const MAX_SLOW_IN_A_ROW = 3
/** Redirects for one chunk before they count as a loop: a mirror may redirect every request, which is fine. */
export const MAX_REDIRECTS = 5

/** What one chunk's loop has been through so far; a new chunk starts at NO_FAILURES. */
export interface ChunkCounters {
  /** Failed requests since the chunk last got past its furthest byte. */
  failures: number
  expired: number
  redirects: number
  /** Requests in a row that the speed floor ended. */
  slow: number
}

export const NO_FAILURES: ChunkCounters = { failures: 0, expired: 0, redirects: 0, slow: 0 }

/** Where the chunk stood when its request failed. */
export interface ChunkState {
  path: string
  /** The server ignores Range: every attempt is the whole file from byte 0. */
  rangeless: boolean
  /** Bytes the failed request wrote before it failed. */
  wrote: number
  /**
   * Whether it got past the furthest byte this chunk ever reached. Without Range a retry starts at byte 0
   * again, and writing the same prefix once more is not progress.
   */
  progressed: boolean
  /** Bytes a retry would have to bring: the rest of the chunk, or without Range the whole file. */
  left: number
  counters: ChunkCounters
  /** The file's spending so far (shared by its chunks); a `retry` step is one more failed request. */
  budget: Readonly<TransferBudget>
  /**
   * Another origin can take the file over (a mirror, with the Hub behind it): a failure that would be waited
   * out and retried gives the file up at once instead, so a mirror that is down or failing costs one request.
   */
  fallback?: boolean
}

export type Step =
  /** Ask the place the server pointed at. */
  | { action: 'follow'; location: string; counters: ChunkCounters }
  /** The signed URL expired: resolve the file's URL again and continue at once. */
  | { action: 'relocate'; notice: RetryNotice; counters: ChunkCounters }
  /** Wait, then send the request again (without Range: from byte 0). */
  | { action: 'retry'; delayMs: number; notice: RetryNotice; counters: ChunkCounters }
  /** Stop this file with `error`. */
  | { action: 'give_up'; error: unknown }

/** `backoff(failures)` is the wait when the server asked for none (retry/policy.ts; a parameter for tests). */
export function nextStep(error: unknown, s: ChunkState, backoff: (failures: number) => number = (n) => retryDelayMs(n)): Step {
  const c = { ...s.counters, failures: s.progressed ? 0 : s.counters.failures }
  if (error instanceof RedirectedError) {
    const redirects = c.redirects + 1
    if (redirects > MAX_REDIRECTS) return giveUp(new ProtocolError(`the Hub redirected ${s.path} in a loop.`))
    return { action: 'follow', location: error.location, counters: { ...c, redirects } }
  }
  if (error instanceof ExpiredUrlError) {
    const expired = c.expired + 1
    if (expired > MAX_EXPIRED) return giveUp(new UrlKeepsExpiringError(s.path, expired))
    const detail = retryDetail(s.path, 'download URL expired, resolving it again')
    const notice: RetryNotice = { kind: 'url_expired', path: s.path, attempt: expired, maxAttempts: MAX_EXPIRED, delayMs: 0, detail }
    return { action: 'relocate', notice, counters: { ...c, expired } }
  }
  // With Range expected, the caller starts the file over on one connection without it.
  if (error instanceof RangeIgnoredError && !s.rangeless) return giveUp(error)
  const slow = error instanceof SlowConnectionError ? c.slow + 1 : 0
  if (slow >= MAX_SLOW_IN_A_ROW) return giveUp(error)
  const t: Transient = error instanceof RangeIgnoredError ? { retry: true, kind: 'other', reason: error.message } : transient(error)
  if (!t.retry || s.fallback) return giveUp(error)
  // Without Range, a body cut short costs its bytes again on the next try: fewer of those are allowed.
  const restart = s.rangeless && s.wrote > 0
  const maxFailures = restart ? MAX_RESTARTS_WITHOUT_PROGRESS : MAX_FAILURES_WITHOUT_PROGRESS
  const failures = c.failures + 1
  const cutShort = () => new CutShortError(s.path, s.rangeless, s.budget.requests, s.budget.transferred)
  if (failures >= maxFailures) return giveUp(restart ? cutShort() : error)
  if (!allowsRetry(s.budget, s.left)) return giveUp(cutShort())
  const delayMs = t.serverWaitMs ?? backoff(failures)
  // A slow connection made progress, so `failures` says nothing about how close the file is to being given up.
  const [attempt, maxAttempts] = slow > 0 ? [slow, MAX_SLOW_IN_A_ROW] : [failures, maxFailures]
  const notice: RetryNotice = { kind: t.kind, path: s.path, status: t.status, attempt, maxAttempts, delayMs, detail: retryDetail(s.path, t.reason) }
  return { action: 'retry', delayMs, notice, counters: { ...c, failures, slow } }
}

const giveUp = (error: unknown): Step => ({ action: 'give_up', error })
