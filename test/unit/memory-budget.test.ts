import { expect, test } from 'vitest'
import { MAX_WRITE_BUFFER, MemoryBudget, MIN_WRITE_BUFFER } from '../../src/pull/memory-budget.js'

const KiB = 1024
const MiB = 1024 * KiB

/** `n` connections reading at once; returns their leave functions. */
function joinMany(budget: MemoryBudget, n: number): (() => void)[] {
  return Array.from({ length: n }, () => budget.join())
}

test('up to 16 connections write 512 KiB at a time; more share the same 16 MiB in smaller writes', () => {
  const budget = new MemoryBudget(16 * MiB)
  expect(budget.writeBuffer).toBe(MAX_WRITE_BUFFER)
  const first = joinMany(budget, 16)
  expect(budget.writeBuffer).toBe(512 * KiB)
  const more = joinMany(budget, 48)
  expect(budget.active).toBe(64)
  // Each holds up to two writes' worth: 64 × 2 × 128 KiB is the budget.
  expect(budget.writeBuffer).toBe(128 * KiB)
  expect(budget.active * 2 * budget.writeBuffer).toBe(16 * MiB)
  for (const leave of more) leave()
  expect(budget.writeBuffer).toBe(512 * KiB)
  for (const leave of first) leave()
  expect(budget.active).toBe(0)
})

test('a write never gets smaller than 64 KiB, however many connections read', () => {
  const budget = new MemoryBudget(16 * MiB)
  joinMany(budget, 1000)
  expect(budget.writeBuffer).toBe(MIN_WRITE_BUFFER)
})

test('leaving twice counts once', () => {
  const budget = new MemoryBudget(16 * MiB)
  const [a] = joinMany(budget, 2)
  a()
  a()
  expect(budget.active).toBe(1)
})

test('write sizes are powers of two, so write buffers fit the next request as readers come and go', () => {
  const budget = new MemoryBudget(16 * MiB)
  const sizes = new Set<number>()
  const leaves: (() => void)[] = []
  for (let n = 1; n <= 100; n++) {
    leaves.push(budget.join())
    sizes.add(budget.writeBuffer)
    // Never over the budget: n connections × two writes' worth.
    expect(n * 2 * budget.writeBuffer <= 16 * MiB || budget.writeBuffer === MIN_WRITE_BUFFER).toBe(true)
  }
  expect([...sizes].sort((a, b) => a - b)).toEqual([64 * KiB, 128 * KiB, 256 * KiB, 512 * KiB])
  for (const leave of leaves) leave()
})
