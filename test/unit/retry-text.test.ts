import { describe, expect, test } from 'vitest'
import { retryText } from '../../src/report/retry-text.js'
import type { RetryKind, RetryNotice } from '../../src/retry/with-retry.js'

const notice = (kind: RetryKind, more: Partial<RetryNotice> = {}): RetryNotice => ({
  kind,
  path: 'a.bin',
  attempt: 1,
  maxAttempts: 5,
  delayMs: 0,
  detail: 'a.bin: something new',
  ...more,
})

describe('retryText: each kind in a few words, and what happens next', () => {
  test.each<[RetryKind, Partial<RetryNotice>, string]>([
    ['rate_limited', { delayMs: 42_000 }, 'rate limited by the Hub, retrying in 42s (1/5)'],
    ['server_error', { status: 503, delayMs: 2_000, attempt: 3, maxAttempts: 6 }, 'server error 503, retrying in 2.0s (3/6)'],
    ['stalled', { delayMs: 500, attempt: 2 }, 'stalled, reconnecting (2/5)'],
    ['connection', {}, 'connection dropped, reconnecting (1/5)'],
    ['url_expired', {}, 'download URL expired, retrying (1/5)'],
    ['integrity', { maxAttempts: 2 }, 'hash mismatch, downloading again (1/2)'],
    // A kind without words of its own shows what the engine wrote.
    ['other', {}, 'a.bin: something new, retrying (1/5)'],
  ])('%s', (kind, more, text) => {
    expect(retryText(notice(kind, more))).toBe(text)
  })

  test('on a terminal the wait counts down', () => {
    expect(retryText(notice('rate_limited', { delayMs: 42_000 }), 3_200)).toBe('rate limited by the Hub, retrying in 3.2s (1/5)')
    expect(retryText(notice('rate_limited', { delayMs: 42_000 }), 400)).toBe('rate limited by the Hub, retrying (1/5)')
  })
})
