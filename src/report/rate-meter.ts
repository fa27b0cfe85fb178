// Speed over the last few seconds, not since the start: after a stall or a slow start the average since
// the start lies for minutes, and an ETA built on it is useless. Pure: the caller passes the clock.

/** Long enough to smooth the bursts of parallel chunks, short enough to show a stall within seconds. */
const WINDOW_MS = 5_000
const SLOT_MS = 250

export class RateMeter {
  private readonly slots: { at: number; bytes: number }[] = []

  constructor(private readonly startedAt: number) {}

  add(bytes: number, now: number): void {
    const at = now - (now % SLOT_MS)
    const last = this.slots[this.slots.length - 1]
    if (last && last.at === at) last.bytes += bytes
    else this.slots.push({ at, bytes })
    this.drop(now)
  }

  /** Bytes per second over the window (or since the start, if that is shorter). */
  rate(now: number): number {
    this.drop(now)
    const span = Math.min(WINDOW_MS, now - this.startedAt)
    if (span <= 0) return 0
    const bytes = this.slots.reduce((n, s) => n + s.bytes, 0)
    return (bytes * 1000) / Math.max(span, SLOT_MS)
  }

  private drop(now: number): void {
    while (this.slots.length && this.slots[0].at + SLOT_MS <= now - WINDOW_MS) this.slots.shift()
  }
}
