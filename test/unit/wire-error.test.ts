// Errors sent from a receive thread (pull/wire-error.ts) must come back as what the main thread's code reads:
// the same class, exit code, message, hint and fields, and the same verdict from the retry table. Each goes
// through structuredClone, which is what postMessage does to it.
import { errors as undici } from 'undici'
import { describe, expect, test } from 'vitest'
import { CertificateError, EXIT, HfxError, HttpStatusError, InterruptedError, NetworkError, ProtocolError, RateLimitedError, SlowConnectionError, toHfxError } from '../../src/errors.js'
import { RangeIgnoredError } from '../../src/hub/range-answer.js'
import { bodyError, connectError } from '../../src/hub/transport.js'
import { nextStep, NO_FAILURES } from '../../src/pull/next-step.js'
import { ShortBodyError } from '../../src/pull/body-writer.js'
import { ExpiredUrlError, RedirectedError } from '../../src/pull/range-request.js'
import { defaultReceiveThreads } from '../../src/pull/receive-pool.js'
import { TransferBudget } from '../../src/pull/transfer-budget.js'
import { fromWire, toWire } from '../../src/pull/wire-error.js'
import { transient } from '../../src/retry/with-retry.js'

const URL_ = 'https://cdn.example/repos/acme/x/abc?Signature=secret'
const across = (err: unknown) => fromWire(structuredClone(toWire(err)))

/** The parts of an error the main thread reads. */
function seen(err: Error) {
  const e = err as HfxError
  return { cls: err.constructor, name: err.name, message: err.message, hint: e.hint, code: e.code, exitCode: e.exitCode }
}

describe('an error from a receive thread', () => {
  test.for<[string, () => Error]>([
    ['a reset mid-body', () => bodyError(URL_, Object.assign(new undici.SocketError('other side closed'), { code: 'UND_ERR_SOCKET' }))],
    ['a connect timeout', () => connectError(URL_, new undici.ConnectTimeoutError())],
    ['a body timeout', () => bodyError(URL_, new undici.BodyTimeoutError())],
    ['the speed floor', () => new SlowConnectionError(URL_, 16000, 1000)],
    ['a short body', () => new ShortBodyError(URL_, 'model.safetensors', 5, 10)],
    ['an expired URL', () => new ExpiredUrlError('the download URL for model.safetensors expired')],
    ['a redirect', () => new RedirectedError('https://elsewhere.example/file')],
    ['a 503', () => new HttpStatusError(503, URL_, undefined, 2000)],
    ['a 429', () => new RateLimitedError(URL_, 5000)],
    ['a server that ignores Range', () => new RangeIgnoredError('the server ignored Range')],
    ['a hostile answer', () => new ProtocolError('the server sent more bytes than asked for model.safetensors.')],
    ['an untrusted certificate', () => connectError(URL_, Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))],
    ['an interrupt', () => new InterruptedError('interrupted')],
  ])('%s comes back as the same error, and the chunk loop takes the same step', ([, make]) => {
    const sent = make()
    const got = across(sent)
    expect(seen(got)).toEqual(seen(sent))
    expect(got).toBeInstanceOf(HfxError)
    expect(transient(got)).toEqual(transient(sent))
    const state = { path: 'model.safetensors', rangeless: false, wrote: 0, progressed: false, left: 10, counters: NO_FAILURES, budget: new TransferBudget(10, 10) }
    expect(nextStep(got, state, () => 7)).toEqual(nextStep(sent, state, () => 7))
  })

  test('fields the main thread reads are kept: status and wait, location, the floor, the TLS code', () => {
    expect(across(new HttpStatusError(503, URL_, undefined, 2000))).toMatchObject({ status: 503, serverWaitMs: 2000 })
    expect(across(new RedirectedError('https://elsewhere.example/file'))).toMatchObject({ location: 'https://elsewhere.example/file' })
    expect(across(new SlowConnectionError(URL_, 16000, 1000))).toMatchObject({ bytesPerSec: 16000, windowMs: 1000 })
    const cert = across(connectError(URL_, Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' })))
    expect(cert).toBeInstanceOf(CertificateError)
    expect(cert).toMatchObject({ tlsCode: 'CERT_HAS_EXPIRED', origin: 'https://cdn.example', exitCode: EXIT.tls })
  })

  test('the cause chain keeps its codes: a reset is retried, a DNS failure is not', () => {
    const reset = across(bodyError(URL_, Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })))
    expect(reset).toBeInstanceOf(NetworkError)
    expect((reset.cause as { code?: string }).code).toBe('ECONNRESET')
    expect(transient(reset).retry).toBe(true)
    const dns = across(connectError(URL_, Object.assign(new Error('getaddrinfo ENOTFOUND cdn.example'), { code: 'ENOTFOUND' })))
    expect(transient(dns).retry).toBe(false)
  })

  test('a failed write keeps its system code: a full disk is a disk error (exit 7), not a bug', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })
    const got = across(full)
    expect(got).not.toBeInstanceOf(HfxError)
    expect(toHfxError(got).exitCode).toBe(EXIT.disk)
    expect(toHfxError(got).message).toBe(toHfxError(full).message)
  })

  test('a class it does not know keeps its name and message on a plain Error; a thrown non-Error its text', () => {
    const odd = across(new TypeError('not a function'))
    expect(odd.constructor).toBe(Error)
    expect(odd.name).toBe('TypeError')
    expect(odd.message).toBe('not a function')
    expect(across('a string').message).toBe('a string')
  })
})

describe('receive threads by default', () => {
  test.for([
    [1, 0],
    [2, 0],
    [3, 0],
    [4, 1],
    [8, 2],
    [16, 4],
    [128, 4],
  ])('%i cores: %i', ([cores, threads]) => {
    expect(defaultReceiveThreads(cores)).toBe(threads)
  })
})
