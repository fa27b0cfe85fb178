import { describe, test, expect } from 'vitest'
import {
  DEFAULT_TIMING,
  RETRY_ERROR_CODES,
  RETRY_STATUS,
  backoffMs,
  isRetryableError,
  isRetryableStatus,
  retryDelayMs,
  serverWaitMs,
} from '../../src/retry/policy.js'

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0)
const HOUR = 3_600_000

describe('isRetryableStatus', () => {
  test.each([
    [408, true], [429, true], [500, true], [502, true], [503, true], [504, true],
    [200, false], [206, false], [302, false], [400, false], [401, false], [403, false], [404, false], [410, false], [416, false], [501, false],
  ])('%i -> %s', (status, retry) => {
    expect(isRetryableStatus(status)).toBe(retry)
  })

  test('every retried status says why', () => {
    for (const reason of Object.values(RETRY_STATUS)) expect(reason.length).toBeGreaterThan(10)
  })
})

const sysErr = (code: string) => Object.assign(new Error(code), { code })

describe('isRetryableError', () => {
  test.each<[string, unknown, boolean]>([
    ['ECONNRESET', sysErr('ECONNRESET'), true],
    ['ECONNREFUSED', sysErr('ECONNREFUSED'), true],
    ['EPIPE', sysErr('EPIPE'), true],
    ['ETIMEDOUT', sysErr('ETIMEDOUT'), true],
    ['ENETUNREACH', sysErr('ENETUNREACH'), true],
    ['EAI_AGAIN', sysErr('EAI_AGAIN'), true],
    ['UND_ERR_SOCKET', sysErr('UND_ERR_SOCKET'), true],
    ['UND_ERR_CONNECT_TIMEOUT', sysErr('UND_ERR_CONNECT_TIMEOUT'), true],
    ['UND_ERR_HEADERS_TIMEOUT', sysErr('UND_ERR_HEADERS_TIMEOUT'), true],
    ['UND_ERR_BODY_TIMEOUT', sysErr('UND_ERR_BODY_TIMEOUT'), true],
    ['UND_ERR_CLOSED', sysErr('UND_ERR_CLOSED'), true],
    ['fetch failed wrapping a reset', new TypeError('fetch failed', { cause: sysErr('ECONNRESET') }), true],
    ['two levels of cause', new Error('a', { cause: new Error('b', { cause: sysErr('UND_ERR_SOCKET') }) }), true],
    ['AggregateError from happy eyeballs', Object.assign(new AggregateError([sysErr('ECONNREFUSED'), sysErr('ETIMEDOUT')]), {}), true],
    ['ENOTFOUND', sysErr('ENOTFOUND'), false],
    ['ENOSPC', sysErr('ENOSPC'), false],
    ['EACCES', sysErr('EACCES'), false],
    ['ABORT_ERR', sysErr('ABORT_ERR'), false],
    ['a TLS certificate error', sysErr('CERT_HAS_EXPIRED'), false],
    ['fetch failed wrapping ENOTFOUND', new TypeError('fetch failed', { cause: sysErr('ENOTFOUND') }), false],
    ['a plain Error', new Error('boom'), false],
    ['a string', 'ECONNRESET', false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['a numeric code', { code: 104 }, false],
    ['a prototype key as code', { code: 'toString' }, false],
  ])('%s -> %s', (_name, err, retry) => {
    expect(isRetryableError(err)).toBe(retry)
  })

  test('a cyclic cause chain terminates', () => {
    const a: { code: string; cause?: unknown } = { code: 'X' }
    a.cause = a
    expect(isRetryableError(a)).toBe(false)
  })

  test('every retried code says why', () => {
    for (const reason of Object.values(RETRY_ERROR_CODES)) expect(reason.length).toBeGreaterThan(10)
  })
})

describe('serverWaitMs', () => {
  test.each<[string, Record<string, string | string[] | undefined>, number | undefined]>([
    ['no headers', {}, undefined],
    ['Retry-After seconds', { 'retry-after': '7' }, 7_000],
    ['Retry-After zero', { 'retry-after': '0' }, 0],
    ['Retry-After fractional', { 'retry-after': '1.5' }, 1_500],
    ['Retry-After with any case and spaces', { 'Retry-After': ' 3 ' }, 3_000],
    ['Retry-After as an array', { 'retry-after': ['2', '9'] }, 2_000],
    ['Retry-After HTTP-date', { 'retry-after': new Date(NOW + 90_000).toUTCString() }, 90_000],
    ['Retry-After date in the past', { 'retry-after': new Date(NOW - 90_000).toUTCString() }, 0],
    ['Retry-After garbage', { 'retry-after': 'soon' }, undefined],
    ['Retry-After negative is garbage', { 'retry-after': '-5' }, undefined],
    ['Retry-After absurd is capped at an hour', { 'retry-after': '999999' }, HOUR],
    ['RateLimit t (wait t+1 s)', { ratelimit: '"resolvers";r=0;t=55' }, 56_000],
    ['RateLimit t=0', { ratelimit: '"resolvers";r=0;t=0' }, 1_000],
    ['RateLimit any case', { RateLimit: '"api";r=0;t=10' }, 11_000],
    ['plain t=', { ratelimit: 't=55' }, 56_000],
    ['older draft reset=', { ratelimit: 'limit=100, remaining=0, reset=30' }, 31_000],
    ['several buckets: the exhausted one', { ratelimit: '"api";r=50;t=200, "resolvers";r=0;t=20' }, 21_000],
    ['several exhausted: the longest', { ratelimit: '"api";r=0;t=5, "resolvers";r=0;t=20' }, 21_000],
    ['no t at all', { ratelimit: '"resolvers";r=0' }, undefined],
    ['RateLimit absurd is capped', { ratelimit: '"resolvers";r=0;t=86400' }, HOUR],
    ['Retry-After wins over RateLimit', { 'retry-after': '2', ratelimit: '"resolvers";r=0;t=55' }, 2_000],
    ['RateLimit used when Retry-After is garbage', { 'retry-after': 'x', ratelimit: '"resolvers";r=0;t=4' }, 5_000],
    ['undefined values are ignored', { 'retry-after': undefined }, undefined],
  ])('%s', (_name, headers, expected) => {
    expect(serverWaitMs(headers, NOW)).toBe(expected)
  })
})

describe('backoffMs (equal jitter)', () => {
  const timing = { baseMs: 100, maxMs: 1_000 }
  test.each([
    // attempt, random, expected: ceiling = min(max, base * 2^(n-1)); delay = ceiling/2 + ceiling/2 * random
    [1, 0, 50],
    [1, 1, 100],
    [1, 0.5, 75],
    [2, 0, 100],
    [2, 1, 200],
    [3, 0.5, 300],
    [4, 1, 800],
    [5, 0, 500], // ceiling capped at 1000
    [5, 1, 1_000],
    [60, 1, 1_000],
    [5000, 0.5, 750], // no overflow to Infinity / NaN
    [0, 1, 100], // attempts below 1 count as 1
  ])('attempt %i, random %d -> %i ms', (attempt, r, expected) => {
    expect(backoffMs(attempt, timing, () => r)).toBe(expected)
  })

  test('never exceeds max and never drops below half the ceiling', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const ceiling = Math.min(DEFAULT_TIMING.maxMs, DEFAULT_TIMING.baseMs * 2 ** (attempt - 1))
      for (const r of [0, 0.25, 0.999999]) {
        const d = backoffMs(attempt, DEFAULT_TIMING, () => r)
        expect(d).toBeGreaterThanOrEqual(ceiling / 2)
        expect(d).toBeLessThanOrEqual(DEFAULT_TIMING.maxMs)
      }
    }
  })

  test('a random source out of [0, 1] is clamped', () => {
    expect(backoffMs(1, timing, () => 7)).toBe(100)
    expect(backoffMs(1, timing, () => -3)).toBe(50)
  })

  test('defaults: 500 ms base, 30 s max', () => {
    expect(DEFAULT_TIMING).toEqual({ baseMs: 500, maxMs: 30_000 })
    expect(backoffMs(1, undefined, () => 1)).toBe(500)
    expect(backoffMs(30, undefined, () => 1)).toBe(30_000)
  })
})

describe('retryDelayMs', () => {
  const timing = { baseMs: 100, maxMs: 1_000 }
  test.each<[string, Record<string, string> | undefined, number]>([
    ['no headers: backoff', undefined, 200],
    ['headers without timing: backoff', { 'content-type': 'text/plain' }, 200],
    ['Retry-After: the server decides', { 'retry-after': '3' }, 3_000],
    ['Retry-After: 0 retries at once', { 'retry-after': '0' }, 0],
    ['RateLimit t', { ratelimit: '"resolvers";r=0;t=2' }, 3_000],
  ])('%s', (_name, headers, expected) => {
    expect(retryDelayMs(2, headers, timing, () => 1)).toBe(expected)
  })
})
