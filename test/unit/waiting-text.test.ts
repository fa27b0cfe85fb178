import { describe, expect, test } from 'vitest'
import { waitingText } from '../../src/report/waiting-text.js'

describe('waitingText', () => {
  const w = { lockPath: '/c/.locks/models--a--b/e.lock', patienceMs: 600_000 }
  test('says whose lock, how long hfx will wait, and when it gave up', () => {
    expect(waitingText('m.bin', { ...w, waitedMs: 0, gaveUp: false })).toBe(
      'waiting: another process is downloading m.bin (it holds /c/.locks/models--a--b/e.lock; hfx goes on without it after 10m 00s without progress)',
    )
    expect(waitingText('m.bin', { ...w, waitedMs: 90_000, gaveUp: false })).toBe(
      'waiting: another process is still downloading m.bin (1m 30s so far; hfx goes on without it after 10m 00s without progress)',
    )
    expect(waitingText('m.bin', { ...w, waitedMs: 700_000, gaveUp: true })).toBe(
      'warning: the process holding /c/.locks/models--a--b/e.lock showed no progress for 10m 00s; downloading m.bin without the lock (HFX_LOCK_WAIT sets how long to wait)',
    )
  })
})
