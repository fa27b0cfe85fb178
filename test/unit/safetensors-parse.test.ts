import { describe, expect, test } from 'vitest'
import { firstReadFor, DEFAULT_FIRST_READ } from '../../src/summary/safetensors-header.js'
import { headerLength, MAX_HEADER_BYTES, parseHeader, SafetensorsHeaderError } from '../../src/summary/safetensors-parse.js'
import { thrown } from '../helpers/thrown.js'

function len(n: bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64LE(n)
  return b
}

describe('headerLength', () => {
  test('reads the little-endian u64', () => {
    expect(headerLength(len(1234n), 10_000, 'a.safetensors')).toBe(1234)
  })
  test.each([
    [0n, 10_000, /header length is 0/],
    [9_993n, 10_000, /runs past the end of the 10000-byte file/],
    [BigInt(MAX_HEADER_BYTES) + 1n, 10 ** 12, /over the 25000000-byte cap/],
    [2n ** 63n, 10 ** 12, /over the 25000000-byte cap/],
  ])('%d in a %d-byte file is refused', (n, size, message) => {
    expect(() => headerLength(len(n), size, 'a.safetensors')).toThrow(message)
  })
  test('a file shorter than 8 bytes', () => {
    expect(() => headerLength(Buffer.alloc(3), 3, 'a.safetensors')).toThrow(SafetensorsHeaderError)
  })
})

describe('parseHeader', () => {
  const json = (o: unknown) => Buffer.from(JSON.stringify(o))
  test('tensors with their byte spans; metadata apart', () => {
    const h = json({ __metadata__: { format: 'pt' }, a: { dtype: 'BF16', shape: [2, 3], data_offsets: [0, 12] }, b: { dtype: 'F32', shape: [], data_offsets: [12, 16] } })
    expect(parseHeader(h, h.length, 8 + h.length + 16, 'x.safetensors')).toEqual({
      tensors: [
        { name: 'a', dtype: 'BF16', shape: [2, 3], bytes: 12 },
        { name: 'b', dtype: 'F32', shape: [], bytes: 4 },
      ],
      metadata: { format: 'pt' },
    })
  })
  test.each([
    ['not JSON', Buffer.from('{"a": '), /header is not valid JSON/],
    ['an array', json([1]), /not a JSON object/],
    ['no dtype', json({ a: { shape: [1], data_offsets: [0, 1] } }), /tensor "a" has no dtype/],
    ['negative dim', json({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }), /"a" has an invalid dimension/],
    ['offsets past the data', json({ a: { dtype: 'F32', shape: [100], data_offsets: [0, 400] } }), /"a" declares data_offsets ending at 400/],
    ['reversed offsets', json({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }), /"a" has invalid data_offsets/],
  ])('%s is a SafetensorsHeaderError naming the file', (_, h, message) => {
    const err = thrown(() => parseHeader(h, h.length, 8 + h.length + 16, 'x.safetensors'))
    expect(err).toBeInstanceOf(SafetensorsHeaderError)
    expect((err as Error).message).toMatch(/^x\.safetensors: /)
    expect((err as Error).message).toMatch(message)
  })
})

describe('firstReadFor', () => {
  test('without an index: the default', () => {
    expect(firstReadFor(undefined)).toBe(DEFAULT_FIRST_READ)
    expect(firstReadFor([])).toBe(DEFAULT_FIRST_READ)
  })
  test('from the tensor names: at least 4 kB, at most 1 MB, above the names plus ~100 bytes each', () => {
    expect(firstReadFor(['a.weight'])).toBe(4096)
    const names = Array.from({ length: 1000 }, (_, i) => `model.layers.${i}.mlp.experts.${i}.down_proj.weight`)
    const guess = firstReadFor(names)
    expect(guess).toBeGreaterThan(names.reduce((n, s) => n + s.length + 90, 0))
    expect(firstReadFor(Array.from({ length: 100_000 }, () => 'x'.repeat(40)))).toBe(1_000_000)
  })
})
