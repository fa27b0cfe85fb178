import { describe, expect, test } from 'vitest'
import { CutShortError, HttpStatusError, ProtocolError, RateLimitedError, SlowConnectionError, UrlKeepsExpiringError } from '../../src/errors.js'
import { connectError } from '../../src/hub/transport.js'
import { RangeIgnoredError } from '../../src/hub/range-answer.js'
import {
  MAX_EXPIRED,
  MAX_FAILURES_WITHOUT_PROGRESS,
  MAX_REDIRECTS,
  MAX_RESTARTS_WITHOUT_PROGRESS,
  MAX_SLOW_IN_A_ROW,
  NO_FAILURES,
  nextStep,
  type ChunkCounters,
  type ChunkState,
} from '../../src/pull/next-step.js'
import { ShortBodyError } from '../../src/pull/body-writer.js'
import { ExpiredUrlError, RedirectedError } from '../../src/pull/range-request.js'
import { TransferBudget } from '../../src/pull/transfer-budget.js'

const MiB = 1024 * 1024
const URL = 'https://cdn.test/x'
const reset = connectError(URL, Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
const slowErr = new SlowConnectionError(URL, 1000, 30_000)
const rangeIgnored = new RangeIgnoredError('the server ignored the Range request for m.bin (bytes=0-9) and sent the whole file.')
const notFound = new HttpStatusError(404, URL)

/** A failure 1 MiB into a 16 MiB chunk of a 64 MiB file, with a fresh budget, unless a row says otherwise. */
function state(more: Partial<Omit<ChunkState, 'counters' | 'budget'>> & { counters?: Partial<ChunkCounters>; budget?: Partial<TransferBudget> } = {}): ChunkState {
  const budget = Object.assign(new TransferBudget(64 * MiB, 16 * MiB), { transferred: 1 * MiB, requests: 3 }, more.budget)
  return { path: 'm.bin', rangeless: false, wrote: 0, progressed: false, left: 15 * MiB, ...more, counters: { ...NO_FAILURES, ...more.counters }, budget }
}

/** Backoff that says which failure it was for, so a row can tell it from a server's wait. */
const backoff = (failures: number) => 1000 * failures

describe('nextStep: what the chunk loop does after a failed request', () => {
  test.each<[string, unknown, ChunkState, Record<string, unknown>]>([
    // Redirects: followed at once, up to a loop.
    ['a redirect is followed', new RedirectedError('https://mirror/x'), state(), { action: 'follow', location: 'https://mirror/x', counters: { redirects: 1 } }],
    ['redirects beyond the bound are a loop', new RedirectedError('https://mirror/x'), state({ counters: { redirects: MAX_REDIRECTS } }), { action: 'give_up', error: expect.any(ProtocolError) }],
    // Expired signed URLs: resolved again at once, with a notice, up to a bound.
    ['an expired URL is resolved again', new ExpiredUrlError('403'), state(), { action: 'relocate', notice: { kind: 'url_expired', path: 'm.bin', attempt: 1, maxAttempts: MAX_EXPIRED, delayMs: 0 }, counters: { expired: 1 } }],
    ['a URL that keeps expiring gives up', new ExpiredUrlError('403'), state({ counters: { expired: MAX_EXPIRED } }), { action: 'give_up', error: expect.any(UrlKeepsExpiringError) }],
    // A 200 to a Range request: the caller starts over without Range; once without Range, it is a retry.
    ['a 200 to a Range request is handed up', rangeIgnored, state(), { action: 'give_up', error: rangeIgnored }],
    ['without Range, a 200 is retried', rangeIgnored, state({ rangeless: true, left: 64 * MiB }), { action: 'retry', delayMs: 1000, notice: { kind: 'other', attempt: 1, maxAttempts: MAX_FAILURES_WITHOUT_PROGRESS } }],
    // The speed floor: its own count, in a row.
    ['a trickle is retried on a new connection', slowErr, state({ progressed: true }), { action: 'retry', notice: { kind: 'stalled', attempt: 1, maxAttempts: MAX_SLOW_IN_A_ROW }, counters: { slow: 1, failures: 1 } }],
    ['the third trickle in a row gives up with it', slowErr, state({ progressed: true, counters: { slow: MAX_SLOW_IN_A_ROW - 1 } }), { action: 'give_up', error: slowErr }],
    ['another ending starts the trickle count again', new ShortBodyError(URL, 'm.bin', 10, 20), state({ counters: { slow: 2 } }), { action: 'retry', notice: { kind: 'connection', attempt: 1 }, counters: { slow: 0 } }],
    // Network failures: backoff, bounded by failures without progress.
    ['a reset backs off and retries', reset, state(), { action: 'retry', delayMs: 1000, notice: { kind: 'connection', path: 'm.bin', attempt: 1, maxAttempts: MAX_FAILURES_WITHOUT_PROGRESS, delayMs: 1000 }, counters: { failures: 1 } }],
    ['the backoff grows with failures in a row', reset, state({ counters: { failures: 2 } }), { action: 'retry', delayMs: 3000, notice: { attempt: 3 } }],
    ['too many failures without progress give up with the error', reset, state({ counters: { failures: MAX_FAILURES_WITHOUT_PROGRESS - 1 } }), { action: 'give_up', error: reset }],
    ['progress since the last failure starts the count again', reset, state({ progressed: true, counters: { failures: MAX_FAILURES_WITHOUT_PROGRESS - 1 } }), { action: 'retry', notice: { attempt: 1 }, counters: { failures: 1 } }],
    // Without Range, a cut that wrote bytes costs them again: fewer restarts, then "cut short".
    ['without Range, a cut body restarts the file', reset, state({ rangeless: true, wrote: MiB, left: 64 * MiB }), { action: 'retry', notice: { attempt: 1, maxAttempts: MAX_RESTARTS_WITHOUT_PROGRESS } }],
    ['without Range, restarts without progress end cut short', reset, state({ rangeless: true, wrote: MiB, left: 64 * MiB, counters: { failures: MAX_RESTARTS_WITHOUT_PROGRESS - 1 } }), { action: 'give_up', error: expect.any(CutShortError) }],
    ['without Range, a failure that wrote nothing has the usual bound', reset, state({ rangeless: true, left: 64 * MiB, counters: { failures: MAX_RESTARTS_WITHOUT_PROGRESS - 1 } }), { action: 'retry', notice: { attempt: MAX_RESTARTS_WITHOUT_PROGRESS } }],
    // A mirror (another origin behind it): a failure that would be retried hands the file over at once.
    ['at a mirror, a reset gives the file up to the next origin', reset, state({ fallback: true }), { action: 'give_up', error: reset }],
    ['at a mirror, a trickle gives the file up too', slowErr, state({ fallback: true, progressed: true }), { action: 'give_up', error: slowErr }],
    ['at a mirror, a redirect is still followed', new RedirectedError('https://cdn/x'), state({ fallback: true }), { action: 'follow', location: 'https://cdn/x' }],
    ['at a mirror, an expired URL is still resolved again', new ExpiredUrlError('403'), state({ fallback: true }), { action: 'relocate' }],
    // The file's budget, whatever the chunk's counters say.
    ['the last failed request the budget allows is retried', reset, state({ progressed: true, budget: { failed: 47 } }), { action: 'retry' }],
    ['past the budget in failed requests: cut short', reset, state({ progressed: true, budget: { failed: 48 } }), { action: 'give_up', error: expect.any(CutShortError) }],
    ['past the budget in bytes: cut short', reset, state({ progressed: true, budget: { transferred: 3 * 64 * MiB - MiB } }), { action: 'give_up', error: expect.any(CutShortError) }],
    // Answers from the server: its wait wins over the backoff; an answer that will not change is final.
    ['a 503 waits as long as the server asked', new HttpStatusError(503, URL, undefined, 2500), state(), { action: 'retry', delayMs: 2500, notice: { kind: 'server_error', status: 503, detail: 'm.bin: HTTP 503' } }],
    ['a 429 waits as long as the server asked', new RateLimitedError(URL, 7000), state(), { action: 'retry', delayMs: 7000, notice: { kind: 'rate_limited', detail: 'm.bin: rate limited by the Hub' } }],
    ['a 404 gives up at once', notFound, state(), { action: 'give_up', error: notFound }],
  ])('%s', (_, error, s, step) => {
    expect(nextStep(error, s, backoff)).toMatchObject(step)
  })

  test('redirects and expired URLs neither count as failures nor end a run of trickles', () => {
    const s = state({ progressed: false, counters: { failures: 4, slow: 2 } })
    expect(nextStep(new RedirectedError('https://m/x'), s, backoff)).toMatchObject({ counters: { failures: 4, slow: 2, redirects: 1 } })
    expect(nextStep(new ExpiredUrlError('403'), s, backoff)).toMatchObject({ counters: { failures: 4, slow: 2, expired: 1 } })
  })

  test('cut short says how much the file cost', () => {
    const step = nextStep(reset, state({ progressed: true, budget: { failed: 48, requests: 52, transferred: 5_000_000 } }), backoff)
    expect(step.action === 'give_up' && (step.error as Error).message).toBe('the server keeps cutting m.bin short; gave up after 52 attempts / 5.0 MB.')
  })
})
