import { describe, expect, test } from 'vitest'
import { contiguousPrefix, doneBytes, missingRanges, planChunks, rangeHeader } from '../../src/pull/chunks.js'
import { parseContentRange } from '../../src/hub/range-answer.js'

describe('chunks', () => {
  test('missing ranges are the gaps between done ranges, merged', () => {
    expect(missingRanges(100, [])).toEqual([{ start: 0, end: 100 }])
    expect(missingRanges(100, [{ start: 10, end: 20 }, { start: 15, end: 30 }, { start: 90, end: 100 }])).toEqual([
      { start: 0, end: 10 },
      { start: 30, end: 90 },
    ])
    expect(missingRanges(100, [{ start: 0, end: 100 }])).toEqual([])
  })

  test('plans chunks of at most chunkSize in file order, only over gaps', () => {
    expect(planChunks(10, [{ start: 3, end: 5 }], 2)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 3 },
      { start: 5, end: 7 },
      { start: 7, end: 9 },
      { start: 9, end: 10 },
    ])
    expect(planChunks(0, [], 4)).toEqual([])
    expect(() => planChunks(10, [], 0)).toThrow()
  })

  test('done bytes and the contiguous prefix the hash may read', () => {
    const done = [{ start: 0, end: 4 }, { start: 4, end: 6 }, { start: 8, end: 10 }]
    expect(doneBytes(10, done)).toBe(8)
    expect(contiguousPrefix(done)).toBe(6)
    expect(contiguousPrefix([{ start: 1, end: 5 }])).toBe(0)
  })

  test('HTTP ranges are inclusive; Content-Range parses or is refused', () => {
    expect(rangeHeader({ start: 0, end: 1024 })).toBe('bytes=0-1023')
    expect(parseContentRange('bytes 0-1023/4096')).toEqual({ start: 0, end: 1024, total: 4096 })
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 10, total: undefined })
    expect(parseContentRange('bytes 9-5/10')).toBeUndefined()
    expect(parseContentRange('items 0-1/2')).toBeUndefined()
    expect(parseContentRange(undefined)).toBeUndefined()
  })
})
