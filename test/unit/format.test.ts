import { describe, test, expect } from 'vitest'
import { formatBinaryBytes, formatBytes, formatCount, formatDuration, formatMemory, formatParams, formatRate } from '../../src/format.js'

describe('formatBytes (decimal, 3 significant digits)', () => {
  test.each([
    [0, '0 B'],
    [1, '1 B'],
    [512, '512 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1500, '1.50 kB'],
    [9_996, '10.0 kB'], // rounding adds a digit: drop a decimal
    [12_345, '12.3 kB'],
    [99_960, '100 kB'],
    [123_456, '123 kB'],
    [999_499, '999 kB'],
    [999_500, '1.00 MB'], // rounding reaches 1000: next unit
    [12_300_000, '12.3 MB'],
    [4_300_000_000, '4.30 GB'],
    [690_000_000_000, '690 GB'],
    [1_234_000_000_000, '1.23 TB'],
    [2.5e15, '2.50 PB'],
    [-1500, '-1.50 kB'],
  ])('%d -> %s', (n, text) => {
    expect(formatBytes(n)).toBe(text)
  })
})

describe('formatRate', () => {
  test.each([
    [0, '0 B/s'],
    [12_345_678, '12.3 MB/s'],
    [1_100_000_000, '1.10 GB/s'],
  ])('%d -> %s', (n, text) => {
    expect(formatRate(n)).toBe(text)
  })
})

describe('formatDuration', () => {
  test.each([
    [0, '0.0s'],
    [-5, '0.0s'],
    [Number.NaN, '0.0s'],
    [400, '0.4s'],
    [9_940, '9.9s'],
    [9_960, '10s'],
    [42_000, '42s'],
    [59_400, '59s'],
    [59_600, '1m 00s'],
    [185_000, '3m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [7_440_000, '2h 04m'],
    [100 * 3_600_000, '100h 00m'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('formatCount', () => {
  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1_234_567, '1,234,567'],
    [671_026_419_200, '671,026,419,200'],
  ])('%d -> %s', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })
})

describe('formatParams', () => {
  test.each([
    [0, '0'],
    [512, '512'],
    [5_000, '5.00K'],
    [124_439_808, '124M'],
    [8_030_261_248, '8.03B'],
    [671_026_419_200, '671B'],
    [999_999_999, '1.00B'],
    [1_500_000_000_000, '1.50T'],
  ])('%d -> %s', (n, text) => {
    expect(formatParams(n)).toBe(text)
  })
})

describe('formatBinaryBytes and formatMemory (GPU units beside disk units)', () => {
  test.each([
    [512, '512 B'],
    [131_072, '128 KiB'],
    [70_272, '68.6 KiB'],
    [512 * 1024 * 1024, '512 MiB'],
    [16 * 1024 ** 3, '16.0 GiB'],
    [1023.9 * 1024 ** 2, '1.00 GiB'],
    [1.5 * 1024 ** 4, '1.50 TiB'],
  ])('%d → %s', (n, want) => {
    expect(formatBinaryBytes(n)).toBe(want)
  })

  test('both units, the binary one in parentheses', () => {
    expect(formatMemory(16_060_522_496)).toBe('16.1 GB (15.0 GiB)')
    expect(formatMemory(131_072)).toBe('131 kB (128 KiB)')
    expect(formatMemory(999)).toBe('999 B')
  })
})
