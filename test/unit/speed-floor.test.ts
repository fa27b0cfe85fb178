import { describe, expect, test } from 'vitest'
import { FloorWindow } from '../../src/hub/speed-floor.js'

const floor = { bytesPerSec: 1000, windowMs: 1000 }

describe('FloorWindow: the speed floor over disjoint windows', () => {
  test('a window below the floor is too slow; one at it is not', () => {
    const w = new FloorWindow(floor, 0)
    w.got(999)
    expect(w.tooSlow(1000)).toBe(true)
    w.got(1000)
    expect(w.tooSlow(2000)).toBe(false)
  })

  test('each window starts afresh: a fast window does not carry over to a dead one', () => {
    const w = new FloorWindow(floor, 0)
    w.got(10_000)
    expect(w.tooSlow(1000)).toBe(false)
    expect(w.tooSlow(2000)).toBe(true)
  })

  test('time spent waiting on the cap does not count: a cap below the floor never ends the download', () => {
    const w = new FloorWindow(floor, 0)
    // 100 bytes a second, but each read waits 0.9 s on the cap: read 0.1 s per second, 1,000 bytes/s while read.
    for (let s = 0; s < 10; s++) {
      w.got(100)
      w.pause(s * 1000 + 100)
      w.resume(s * 1000 + 1000)
      expect(w.tooSlow((s + 1) * 1000)).toBe(false)
    }
  })

  test('a connection that is slow while it is read is still caught once it was read for a whole window', () => {
    const w = new FloorWindow(floor, 0)
    const verdicts: boolean[] = []
    for (let s = 0; s < 4; s++) {
      w.got(10)
      w.pause(s * 1000 + 500)
      w.resume(s * 1000 + 1000)
      verdicts.push(w.tooSlow((s + 1) * 1000))
    }
    expect(verdicts).toEqual([false, true, false, true])
  })

  test('a wait still running when the window ends counts as waiting', () => {
    const w = new FloorWindow(floor, 0)
    w.pause(0)
    expect(w.tooSlow(1000)).toBe(false)
    expect(w.tooSlow(2000)).toBe(false)
    w.resume(2500)
    expect(w.tooSlow(3000)).toBe(false) // read for 0.5 s: not judged yet
    expect(w.tooSlow(4000)).toBe(true) // 1.5 s read, nothing came
  })
})
