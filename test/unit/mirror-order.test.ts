import { describe, expect, test } from 'vitest'
import { afterFile, MAX_MIRROR_FAILURES, MIN_MEASURED_BYTES, mirrorOrder, NEW_MIRROR, type MirrorHealth } from '../../src/pull/mirror-order.js'

const h = (more: Partial<MirrorHealth> = {}): MirrorHealth => ({ ...NEW_MIRROR, ...more })
const MB = MIN_MEASURED_BYTES

describe('mirrorOrder', () => {
  test.each<[string, MirrorHealth[], number[]]>([
    ['no mirrors: none to try', [], []],
    ['new mirrors keep the order given', [h(), h(), h()], [0, 1, 2]],
    ['a mirror that failed goes behind those that did not', [h({ failures: 1 }), h()], [1, 0]],
    ['a mirror that failed MAX times is skipped', [h({ failures: MAX_MIRROR_FAILURES }), h()], [1]],
    ['every mirror given up: the Hub alone', [h({ failures: MAX_MIRROR_FAILURES }), h({ failures: MAX_MIRROR_FAILURES + 1 })], []],
    ['a mirror far slower than the fastest goes behind it', [h({ bytes: 10 * MB, ms: 10_000 }), h({ bytes: 10 * MB, ms: 100 })], [1, 0]],
    ['a little slower keeps its place', [h({ bytes: 10 * MB, ms: 200 }), h({ bytes: 10 * MB, ms: 100 })], [0, 1]],
    ['small files say nothing about speed', [h({ bytes: 1000, ms: 10_000 }), h({ bytes: 10 * MB, ms: 100 })], [0, 1]],
    ['failures count before speed', [h({ bytes: 10 * MB, ms: 100, failures: 1 }), h({ bytes: 10 * MB, ms: 10_000 })], [1, 0]],
  ])('%s', (_, health, order) => {
    expect(mirrorOrder(health)).toEqual(order)
  })
})

describe('afterFile', () => {
  test('a served file adds its bytes and time; a failed one adds a failure', () => {
    const served = afterFile(NEW_MIRROR, { ok: true, bytes: 100, ms: 5 })
    expect(served).toEqual({ failures: 0, bytes: 100, ms: 5 })
    expect(afterFile(served, { ok: false })).toEqual({ failures: 1, bytes: 100, ms: 5 })
  })
})
