import { describe, expect, test } from 'vitest'
import { retryFile, retryReason, retryText } from '../../src/report/retry-reason.js'

const notice = (reason: string, delayMs = 0, attempt = 1, maxAttempts = 5) => ({ reason, delayMs, attempt, maxAttempts })

describe('retryReason: the sentences the retry loops write, as kinds', () => {
  test.each([
    ['model.safetensors: rate limited by the Hub', 'rate_limited'],
    ['acme/x: HTTP 503', 'server_error'],
    ['model.safetensors: UND_ERR_BODY_TIMEOUT', 'stalled'],
    ['acme/x: could not reach http://h/api: UND_ERR_HEADERS_TIMEOUT.', 'stalled'],
    ['model.safetensors: ECONNRESET', 'connection'],
    ['model.safetensors: the connection for model.safetensors ended after 10 of 20 bytes', 'connection'],
    ['model.safetensors: download URL expired, resolving it again', 'url_expired'],
    ['model.safetensors: sha256 mismatch, downloading it again', 'integrity'],
    ['model.safetensors: something new', 'other'],
  ])('%s → %s', (reason, kind) => {
    expect(retryReason(notice(reason)).kind).toBe(kind)
  })

  test('the terminal text counts down and says what happens next', () => {
    expect(retryText(notice('a: rate limited by the Hub', 42_000))).toBe('rate limited by the Hub, retrying in 42s (1/5)')
    expect(retryText(notice('a: rate limited by the Hub', 42_000), 3_200)).toBe('rate limited by the Hub, retrying in 3.2s (1/5)')
    expect(retryText(notice('a: UND_ERR_BODY_TIMEOUT', 500, 2))).toBe('stalled, reconnecting (2/5)')
    expect(retryText(notice('a: something new'))).toBe('a: something new, retrying (1/5)')
  })

  test('retryFile finds the plan path that prefixes the sentence, even one containing ": "', () => {
    const paths = new Set(['a.json', 'odd: name.bin'])
    expect(retryFile('a.json: HTTP 500', paths)).toBe('a.json')
    expect(retryFile('odd: name.bin: ECONNRESET', paths)).toBe('odd: name.bin')
    expect(retryFile('acme/x: HTTP 500', paths)).toBeUndefined()
  })
})
