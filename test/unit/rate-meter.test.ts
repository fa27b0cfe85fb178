import { expect, test } from 'vitest'
import { RateMeter } from '../../src/report/rate-meter.js'

test('the rate covers the last few seconds, so a stall shows as a falling speed', () => {
  const m = new RateMeter(0)
  for (let t = 0; t < 10_000; t += 100) m.add(100_000, t) // 1 MB/s for 10 s
  expect(m.rate(10_000)).toBeCloseTo(1_000_000, -4)
  expect(m.rate(12_500)).toBeCloseTo(500_000, -4) // half the window is silence
  expect(m.rate(20_000)).toBe(0)
})

test('before the window is full, the rate is over the time since the start', () => {
  const m = new RateMeter(1_000)
  m.add(2_000_000, 1_500)
  expect(m.rate(3_000)).toBeCloseTo(1_000_000, -3)
  expect(m.rate(1_000)).toBe(0)
})
