import { describe, expect, test } from 'vitest'
import { allowsRetry, TRANSFER_FACTOR, TransferBudget } from '../../src/pull/transfer-budget.js'

const MiB = 1024 * 1024

describe('transfer budget', () => {
  test('a server without Range that creeps a little further each time is stopped by bytes, at most 3× the size', () => {
    const size = 100 * MiB
    const budget = new TransferBudget(size, 16 * MiB)
    let restarts = 0
    // Each restart goes 1 MiB past the last one, so it always counts as progress.
    for (let reached = 1 * MiB; ; reached += MiB) {
      budget.transferred += reached
      if (!allowsRetry(budget, size)) break
      budget.failed++
      restarts++
    }
    expect(budget.transferred).toBeLessThanOrEqual(TRANSFER_FACTOR * size)
    expect(restarts).toBeLessThan(25)
  })

  test('a server that honours Range but cuts every body after a few bytes is stopped by failed requests', () => {
    const size = 64 * MiB
    const budget = new TransferBudget(size, 16 * MiB)
    let failed = 0
    for (let at = 0; at < size; at += 1024) {
      budget.transferred += 1024
      if (!allowsRetry(budget, size - at)) break
      budget.failed++
      failed++
    }
    expect(failed).toBe(32 + 4 * 4)
  })

  test('an honest flaky download fits: every chunk cut a few times, one integrity re-fetch', () => {
    const size = 1024 * MiB
    const budget = new TransferBudget(size, 16 * MiB)
    budget.transferred = 2 * size // a whole pass, thrown away after a hash mismatch, and the second pass
    for (let i = 0; i < 64 * 3; i++) {
      expect(allowsRetry(budget, 16 * MiB)).toBe(true)
      budget.failed++
    }
  })
})
