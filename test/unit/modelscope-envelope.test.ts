// ModelScope's {Code, Message, Data, Success} answers → data or the typed error a user can act on.
import { describe, expect, test } from 'vitest'
import { errorFromEnvelope, isOk, readEnvelope, type MsContext } from '../../src/hub/modelscope/envelope.js'
import { EntryNotFoundError, EXIT, HttpStatusError, RateLimitedError, RepoNotFoundError } from '../../src/errors.js'

const EP = 'https://www.modelscope.cn'
const URL_ = `${EP}/api/v1/models/acme/tiny/repo/files?Revision=master`
const ctx: MsContext = { endpoint: EP, ref: { type: 'model', id: 'acme/tiny' } }
const env = (Code: unknown, Message = '', Success = false) => readEnvelope({ Code, Message, Success })

describe('readEnvelope / isOk', () => {
  test('success needs HTTP 200, Code 200 and no Success: false', () => {
    expect(isOk(200, readEnvelope({ Code: 200, Data: {}, Success: true })!)).toBe(true)
    expect(isOk(200, readEnvelope({ Code: 10010101004, Success: false })!)).toBe(false)
    expect(isOk(404, readEnvelope({ Code: 200, Success: true })!)).toBe(false)
  })

  test('a body that is not an envelope reads as none', () => {
    expect(readEnvelope('<html>')).toBeUndefined()
    expect(readEnvelope([1])).toBeUndefined()
    expect(readEnvelope({ error: 'x' })).toBeUndefined()
  })
})

describe('errorFromEnvelope', () => {
  test('404 without a path: repo not found, with the ModelScope page and token variable in the hint', () => {
    const e = errorFromEnvelope(404, env(10010101003, 'model not exist'), URL_, ctx)
    expect(e).toBeInstanceOf(RepoNotFoundError)
    expect(e.exitCode).toBe(EXIT.notFound)
    expect(e.hint).toContain(`${EP}/models/acme/tiny`)
    expect(e.hint).toContain('MODELSCOPE_API_TOKEN')
    expect(e.hint).toContain(`${EP}/my/myaccesstoken`)
  })

  test('404 for a file: entry not found, with an ms:// ls command', () => {
    const e = errorFromEnvelope(404, env(10990101007), URL_, { ...ctx, path: 'a.bin', revision: 'v1' })
    expect(e).toBeInstanceOf(EntryNotFoundError)
    expect(e.hint).toBe('List the files with: hfx ls ms://acme/tiny@v1')
  })

  test('datasets get the datasets page in hints', () => {
    const e = errorFromEnvelope(404, undefined, URL_, { ...ctx, ref: { type: 'dataset', id: 'acme/rows' } })
    expect(e.hint).toContain(`${EP}/datasets/acme/rows`)
  })

  test('a 200 whose Code says "not exist" is not found too (the library checks Code, not only the status)', () => {
    expect(errorFromEnvelope(200, env(10010101003, '模型不存在'), URL_, ctx)).toBeInstanceOf(RepoNotFoundError)
  })

  test('denied with a token: an auth error naming the token source, never the token', () => {
    const e = errorFromEnvelope(403, env(10010101004, 'unauthorized permission'), URL_, { ...ctx, tokenSource: 'MODELSCOPE_API_TOKEN' })
    expect(e.exitCode).toBe(EXIT.auth)
    expect(e.code).toBe('ACCESS_DENIED')
    expect(e.message).toContain('MODELSCOPE_API_TOKEN')
  })

  test('denied without a token: not found (private and missing look alike), hint says how to pass one', () => {
    const e = errorFromEnvelope(200, env(10010101004, 'get model info failed, err: unauthorized permission'), URL_, ctx)
    expect(e).toBeInstanceOf(RepoNotFoundError)
    expect(e.hint).toContain('MODELSCOPE_API_TOKEN')
  })

  test('429 and 5xx stay retryable errors; the query string never reaches a message', () => {
    const limited = errorFromEnvelope(429, undefined, URL_, ctx, 2000)
    expect(limited).toBeInstanceOf(RateLimitedError)
    expect((limited as RateLimitedError).retryAfterMs).toBe(2000)
    const down = errorFromEnvelope(503, env(503, 'busy'), URL_, ctx)
    expect(down).toBeInstanceOf(HttpStatusError)
    expect((down as HttpStatusError).status).toBe(503)
    expect(down.message).not.toContain('Revision=')
  })

  test('anything else: an HTTP error carrying ModelScope\'s Code and Message', () => {
    const e = errorFromEnvelope(200, env(12345, 'quota exceeded'), URL_, ctx)
    expect(e.message).toContain('ModelScope error 12345: quota exceeded')
  })
})
