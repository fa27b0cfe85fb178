import { describe, expect, test } from 'vitest'
import { DiskWriteError, HttpStatusError, IntegrityError, NetworkError, ProtocolError, RateLimitedError, SlowConnectionError } from '../../src/errors.js'
import { bodyError, connectError } from '../../src/hub/transport.js'
import { ShortBodyError } from '../../src/pull/body-writer.js'
import { transient, withRetry, type RetryNotice } from '../../src/retry/with-retry.js'

const sysErr = (code: string, message = code) => Object.assign(new Error(message), { code })
const URL = 'https://cdn.test/x'

describe('transient: each typed error as a kind, and whether it is tried again', () => {
  test.each<[string, unknown, string, boolean]>([
    ['429 (RateLimitedError)', new RateLimitedError(URL, 1000), 'rate_limited', true],
    ['429 as a bare status', new HttpStatusError(429, URL), 'rate_limited', true],
    ['500', new HttpStatusError(500, URL), 'server_error', true],
    ['503', new HttpStatusError(503, URL), 'server_error', true],
    ['501: the same answer every time', new HttpStatusError(501, URL), 'server_error', false],
    ['408', new HttpStatusError(408, URL), 'other', true],
    ['404', new HttpStatusError(404, URL), 'other', false],
    ['a reset before the answer', connectError(URL, sysErr('ECONNRESET')), 'connection', true],
    ['"other side closed" mid-body', bodyError(URL, sysErr('UND_ERR_SOCKET', 'other side closed')), 'connection', true],
    ['a fetch-wrapped refusal', connectError(URL, new TypeError('fetch failed', { cause: sysErr('ECONNREFUSED') })), 'connection', true],
    ['no headers in time', connectError(URL, sysErr('UND_ERR_HEADERS_TIMEOUT')), 'stalled', true],
    ['a body that stalled', bodyError(URL, sysErr('UND_ERR_BODY_TIMEOUT')), 'stalled', true],
    ['a connect timeout', connectError(URL, sysErr('UND_ERR_CONNECT_TIMEOUT')), 'stalled', true],
    ['an OS-level timeout', connectError(URL, sysErr('ETIMEDOUT')), 'stalled', true],
    ['a host that does not exist', connectError(URL, sysErr('ENOTFOUND')), 'connection', false],
    ['a body cut short (hfx judged it)', new ShortBodyError(URL, 'x', 10, 20), 'connection', true],
    ['under the speed floor', new SlowConnectionError(URL, 1000, 30_000), 'stalled', true],
    ['a NetworkError without cause', new NetworkError(URL, 'ended early', { midBody: true }), 'connection', true],
    ['a protocol error', new ProtocolError('bad answer'), 'other', false],
    ['a disk error', new DiskWriteError('disk full'), 'other', false],
    ['an integrity error (retried by the pull, not here)', new IntegrityError('x', 'sha256', 'a', 'b'), 'other', false],
    ['a raw socket error', sysErr('ECONNRESET'), 'connection', true],
    ['a raw timeout', sysErr('UND_ERR_BODY_TIMEOUT'), 'stalled', true],
    ['a bug', new TypeError('x is undefined'), 'other', false],
  ])('%s → %s, retry %s', (_, err, kind, retry) => {
    expect(transient(err)).toMatchObject({ kind, retry })
  })

  test('the wait the server asked for, and the status, travel with it', () => {
    expect(transient(new RateLimitedError(URL, 42_000))).toMatchObject({ serverWaitMs: 42_000, reason: 'rate limited by the Hub' })
    expect(transient(new HttpStatusError(503, URL, undefined, 2_000))).toMatchObject({ status: 503, serverWaitMs: 2_000, reason: 'HTTP 503' })
  })
})

describe('withRetry', () => {
  test('a notice per retry: the kind, the file and the sentence, then the last error', async () => {
    const notices: RetryNotice[] = []
    const err = new HttpStatusError(503, URL, undefined, 0)
    await expect(withRetry(() => Promise.reject(err), { maxAttempts: 3, what: 'a.json', path: 'a.json', onRetry: (n) => notices.push(n) })).rejects.toBe(err)
    expect(notices).toEqual([
      { kind: 'server_error', path: 'a.json', status: 503, attempt: 1, maxAttempts: 3, delayMs: 0, detail: 'a.json: HTTP 503' },
      { kind: 'server_error', path: 'a.json', status: 503, attempt: 2, maxAttempts: 3, delayMs: 0, detail: 'a.json: HTTP 503' },
    ])
  })

  test('a metadata call names no file; an error not worth retrying is thrown at once', async () => {
    const notices: RetryNotice[] = []
    let calls = 0
    const run = withRetry(
      async () => {
        if (++calls === 1) throw new RateLimitedError(URL, 0)
        throw new HttpStatusError(404, URL)
      },
      { maxAttempts: 5, what: 'acme/x', onRetry: (n) => notices.push(n) },
    )
    await expect(run).rejects.toBeInstanceOf(HttpStatusError)
    expect(calls).toBe(2)
    expect(notices).toEqual([expect.objectContaining({ kind: 'rate_limited', path: undefined, detail: 'acme/x: rate limited by the Hub' })])
  })
})
