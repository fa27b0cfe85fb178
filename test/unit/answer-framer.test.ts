import { describe, expect, test } from 'vitest'
import { AnswerFramer, leanFraming, MAX_HEAD_BYTES, MalformedAnswer, parseHead, type AnswerHead } from '../../src/hub/answer-framer.js'

const BODY = '0123456789'
const ANSWER = Buffer.from(
  `HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/100\r\nContent-Length: 10\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty:\r\n\r\n${BODY}`,
  'latin1',
)

/** Feeds `pieces` as a socket would, each in a buffer of its own that is scribbled over after the call. */
function read(pieces: Buffer[]): { head: AnswerHead | undefined; body: string; extra: boolean } {
  let body = ''
  const framer = new AnswerFramer((buf, start, end) => (body += buf.toString('latin1', start, end)))
  for (const piece of pieces) {
    const buf = Buffer.from(piece) // the reused read buffer
    let at = 0
    while (at < buf.length) {
      const hadHead = framer.head !== undefined
      at = framer.push(buf, at, buf.length)
      if (!hadHead && framer.head) framer.expectBody(Number(framer.head.headers['content-length']))
    }
    buf.fill(0x21)
  }
  return { head: framer.head, body, extra: framer.extra }
}

describe('AnswerFramer', () => {
  test('reads a head and its body split at every position, and byte by byte', () => {
    const cuts = [...Array.from({ length: ANSWER.length - 1 }, (_, i) => [ANSWER.subarray(0, i + 1), ANSWER.subarray(i + 1)])]
    cuts.push(Array.from(ANSWER, (b) => Buffer.from([b])))
    for (const pieces of cuts) {
      const { head, body, extra } = read(pieces)
      expect(head).toEqual({
        version: '1.1',
        status: 206,
        headers: { 'content-range': 'bytes 0-9/100', 'content-length': '10', 'set-cookie': ['a=1', 'b=2'], 'x-empty': '' },
      })
      expect(body).toBe(BODY)
      expect(extra).toBe(false)
    }
  })

  test('bytes past Content-Length are flagged, never passed on as body', () => {
    const { body, extra } = read([ANSWER, Buffer.from('HTTP/1.1 200 OK\r\n')])
    expect(body).toBe(BODY)
    expect(extra).toBe(true)
  })

  test('a head without its blank line is refused once it reaches the limit, wherever the reads end', () => {
    const long = Buffer.from(`HTTP/1.1 206 Partial Content\r\nX-Pad: ${'x'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`)
    for (const size of [1000, 4096, MAX_HEAD_BYTES, long.length]) {
      const pieces = Array.from({ length: Math.ceil(long.length / size) }, (_, i) => long.subarray(i * size, (i + 1) * size))
      expect(() => read(pieces)).toThrow(/head is larger than 16 KiB/)
    }
  })
})

describe('parseHead', () => {
  test.for([
    ['HTTP/2 200', /status line/],
    ['ICY 200 OK', /status line/],
    ['HTTP/1.1 20 OK', /status line/],
    ['HTTP/1.1 2000 OK', /status line/],
    [' HTTP/1.1 200 OK', /status line/],
    ['HTTP/1.1 200 OK\r\nContent-Length : 1', /header line/],
    ['HTTP/1.1 200 OK\r\nX-A: 1\r\n folded', /header line/],
    ['HTTP/1.1 200 OK\r\nNoColon', /header line/],
    ['HTTP/1.1 200 OK\r\n: empty name', /header line/],
    ['HTTP/1.1 200 OK\r\nX-A: a\0b', /control characters/],
    [`HTTP/1.1 200 OK${'\r\nX: 1'.repeat(201)}`, /more than 200 header lines/],
  ] as const)('refuses %j', ([text, why]) => {
    expect(() => parseHead(text)).toThrow(MalformedAnswer)
    expect(() => parseHead(text)).toThrow(why)
  })

  test('takes a status line without a reason phrase', () => {
    expect(parseHead('HTTP/1.1 206').status).toBe(206)
  })
})

describe('leanFraming', () => {
  const head = (status: number, headers: AnswerHead['headers'], version = '1.1'): AnswerHead => ({ version, status, headers })
  test.for<[string, AnswerHead, unknown]>([
    ['Content-Length frames the body', head(206, { 'content-length': '10' }), { length: 10 }],
    ['repeated equal Content-Lengths', head(206, { 'content-length': ['10', '10'] }), { length: 10 }],
    ['a list of equal Content-Lengths', head(200, { 'content-length': '10, 10' }), { length: 10 }],
    ['chunked goes to undici', head(206, { 'transfer-encoding': 'chunked', 'content-length': '10' }), { fallback: 'Transfer-Encoding' }],
    ['no Content-Length goes to undici', head(206, {}), { fallback: 'no Content-Length' }],
    ['HTTP/1.0 goes to undici', head(206, { 'content-length': '10' }, '1.0'), { fallback: 'HTTP/1.0' }],
    ['an interim answer goes to undici', head(100, {}), { fallback: 'an interim 100 answer' }],
  ])('%s', ([, h, verdict]) => {
    expect(leanFraming(h)).toEqual(verdict)
  })

  test.for([['10', '11'], ['-1'], ['1e3'], ['0x10'], [''], ['12345678901234567']])('refuses Content-Length %j', (values) => {
    expect(() => leanFraming(head(206, { 'content-length': values.length === 1 ? values[0]! : values }))).toThrow(MalformedAnswer)
  })
})
