import { expect, test } from 'vitest'
import { Slots } from '../../src/pull/slots.js'

test('slots are capped and handed out by priority, then arrival', async () => {
  const slots = new Slots(2)
  const a = await slots.acquire(5)
  const b = await slots.acquire(5)
  const order: string[] = []
  const waits = [
    slots.acquire(3).then((r) => (order.push('p3'), r)),
    slots.acquire(1).then((r) => (order.push('p1'), r)),
    slots.acquire(1).then((r) => (order.push('p1-late'), r)),
  ]
  await Promise.resolve()
  expect(order).toEqual([])
  a()
  a() // releasing twice gives back one slot only
  const first = await waits[1]
  expect(order).toEqual(['p1'])
  b()
  await waits[2]
  first()
  await waits[0]
  expect(order).toEqual(['p1', 'p1-late', 'p3'])
})
