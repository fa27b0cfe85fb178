import { describe, expect, test } from 'vitest'
import { ProtocolError } from '../../src/errors.js'
import { checkRangeAnswer, RangeIgnoredError, type RangeAnswer } from '../../src/hub/range-answer.js'

const asked = (start: number, end: number) => ({ start, end })
type Row = [string, Omit<RangeAnswer, 'path'>, 'ok' | 'ignored' | 'wrong']

describe('checkRangeAnswer', () => {
  test.for<Row>([
    ['a 206 for exactly the bytes asked', { status: 206, headers: { 'content-range': 'bytes 100-199/1000', 'content-length': '100' }, asked: asked(100, 200), wholeFileOk: false }, 'ok'],
    ['a 206 without Content-Length', { status: 206, headers: { 'content-range': 'bytes 100-199/1000' }, asked: asked(100, 200), wholeFileOk: false }, 'ok'],
    ['a 206 ending early (the file is shorter)', { status: 206, headers: { 'content-range': 'bytes 100-149/150' }, asked: asked(100, 200), wholeFileOk: false }, 'ok'],
    ['a 206 with an unknown total', { status: 206, headers: { 'content-range': 'bytes 0-9/*' }, asked: asked(0, 10), wholeFileOk: false }, 'ok'],
    ['a 206 starting elsewhere', { status: 206, headers: { 'content-range': 'bytes 0-99/1000' }, asked: asked(100, 200), wholeFileOk: false }, 'wrong'],
    ['a 206 running past the range', { status: 206, headers: { 'content-range': 'bytes 100-299/1000' }, asked: asked(100, 200), wholeFileOk: false }, 'wrong'],
    ['a 206 without Content-Range', { status: 206, headers: {}, asked: asked(100, 200), wholeFileOk: false }, 'wrong'],
    ['a 206 with a garbled Content-Range', { status: 206, headers: { 'content-range': 'items 1-2/3' }, asked: asked(1, 3), wholeFileOk: false }, 'wrong'],
    ['a 206 past the total it names', { status: 206, headers: { 'content-range': 'bytes 0-99/50' }, asked: asked(0, 100), wholeFileOk: false }, 'wrong'],
    ['a 206 whose Content-Length disagrees', { status: 206, headers: { 'content-range': 'bytes 100-199/1000', 'content-length': '1000' }, asked: asked(100, 200), wholeFileOk: false }, 'wrong'],
    ['a 200 to the whole file from byte 0', { status: 200, headers: {}, asked: asked(0, 1000), wholeFileOk: true }, 'ok'],
    ['a 200 to a header read from byte 0 (the reader stops)', { status: 200, headers: {}, asked: asked(0, 8), wholeFileOk: true }, 'ok'],
    ['a 200 to one chunk of several', { status: 200, headers: {}, asked: asked(0, 100), wholeFileOk: false }, 'ignored'],
    ['a 200 to a range past byte 0', { status: 200, headers: {}, asked: asked(100, 200), wholeFileOk: true }, 'ignored'],
    ['any other status', { status: 204, headers: {}, asked: asked(0, 10), wholeFileOk: true }, 'wrong'],
  ])('%s: %s', ([, answer, verdict]) => {
    const err = checkRangeAnswer({ ...answer, path: 'f.bin' })
    if (verdict === 'ok') return expect(err).toBeUndefined()
    expect(err).toBeInstanceOf(verdict === 'ignored' ? RangeIgnoredError : ProtocolError)
    if (verdict === 'wrong') expect(err).not.toBeInstanceOf(RangeIgnoredError)
    expect(err!.message).toContain('f.bin')
  })
})
