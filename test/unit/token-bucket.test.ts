import { describe, expect, test } from 'vitest'
import { TokenBucket } from '../../src/pull/token-bucket.js'

/** A bucket on a clock the test moves by hand. */
function bucketAt(rate: number, burst?: number) {
  let now = 0
  const bucket = new TokenBucket(rate, burst, () => now)
  return { bucket, advance: (ms: number) => (now += ms) }
}

describe('TokenBucket: the pull-wide bandwidth cap', () => {
  test('a burst passes at once, then reads wait for the cap', () => {
    const { bucket } = bucketAt(1000)
    expect(bucket.reserve(1000)).toBe(0) // the first second's worth
    expect(bucket.reserve(500)).toBe(500) // half a second's debt
  })

  test('readers that come after wait behind the debt: the cap holds across connections', () => {
    const { bucket } = bucketAt(1000, 0)
    expect(bucket.reserve(1000)).toBe(1000)
    expect(bucket.reserve(1000)).toBe(2000)
    expect(bucket.reserve(1000)).toBe(3000)
  })

  test('waiting pays the debt back; a quiet spell refills no more than the burst', () => {
    const { bucket, advance } = bucketAt(1000)
    expect(bucket.reserve(3000)).toBe(2000)
    advance(2000)
    expect(bucket.reserve(0)).toBe(0)
    advance(60_000)
    expect(bucket.reserve(1000)).toBe(0)
    expect(bucket.reserve(1000)).toBe(1000)
  })

  test('over any span, what was let through is at most rate × time + burst', () => {
    const { bucket, advance } = bucketAt(4096, 4096)
    let at = 0
    let taken = 0
    for (let i = 0; i < 200; i++) {
      const n = 1000 + ((i * 7919) % 60_000)
      taken += n
      const wait = bucket.reserve(n)
      // The reader reads again only after its wait.
      advance(wait)
      at += wait
      expect(taken).toBeLessThanOrEqual((4096 * at) / 1000 + 4096 + 1e-6)
    }
  })
})
