import { describe, expect, test } from 'vitest'
import { parseByteRate } from '../../src/byte-rate.js'

describe('parseByteRate: bytes per second as curl --limit-rate and aria2c count them', () => {
  test.each([
    ['0', 0],
    ['1048576', 1048576],
    ['500K', 500 * 1024],
    ['500k', 500 * 1024],
    ['50M', 50 * 1024 ** 2],
    ['1.5M', 1.5 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['50MB', 50 * 1024 ** 2],
    ['50MiB', 50 * 1024 ** 2],
    ['50M/s', 50 * 1024 ** 2],
    [' 10 K ', 10 * 1024],
    ['.5K', 512],
  ])('%s is %d bytes/s', (text, rate) => {
    expect(parseByteRate(text)).toBe(rate)
  })

  test.each(['', 'fast', '-1M', '50T', '1e6', '0.1', 'M', '5 M B s', '50M/min'])('%j is refused', (text) => {
    expect(parseByteRate(text)).toBeUndefined()
  })
})
