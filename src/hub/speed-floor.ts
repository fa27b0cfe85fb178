// The speed floor's arithmetic (HFX_MIN_SPEED, HFX_MIN_SPEED_TIME), apart from the timer that drives it in
// transport.ts, so the rule is tested with plain numbers.

/**
 * The lowest speed a download connection may keep up, curl's --speed-limit / --speed-time: a connection that
 * brings fewer than `bytesPerSec` on average over a whole `windowMs` is given up as stalled, though it was
 * never silent long enough for the inactivity timeout (HF_HUB_DOWNLOAD_TIMEOUT) to fire.
 */
export interface SpeedFloor {
  bytesPerSec: number
  windowMs: number
}

/**
 * One connection's windows. Disjoint windows, as curl does: the average over each whole window is what
 * counts, so a burst and a pause inside one window (a congested link, a busy CDN) do not end an honest
 * download. Time hfx itself spends not reading (waiting on the --limit-rate cap) is not the connection's
 * fault: it is left out, so a cap below the floor never makes hfx give up on its own throttling. A window
 * with such waits is judged once the connection has been read for a whole window's worth of time.
 */
export class FloorWindow {
  private bytes = 0
  private readMs = 0
  private mark: number
  private pausedMs = 0
  private pausedSince: number | undefined

  constructor(
    private readonly floor: SpeedFloor,
    now: number,
  ) {
    this.mark = now
  }

  got(bytes: number): void {
    this.bytes += bytes
  }

  /** hfx stops reading (the cap asked it to wait) … */
  pause(now: number): void {
    this.pausedSince = now
  }

  /** … and reads again. */
  resume(now: number): void {
    if (this.pausedSince === undefined) return
    this.pausedMs += now - this.pausedSince
    this.pausedSince = undefined
  }

  /** Called at the end of each window: true when the connection fell below the floor. */
  tooSlow(now: number): boolean {
    let paused = this.pausedMs
    if (this.pausedSince !== undefined) {
      paused += now - this.pausedSince
      this.pausedSince = now
    }
    this.pausedMs = 0
    this.readMs += Math.max(0, now - this.mark - paused)
    this.mark = now
    if (paused > 0 && this.readMs < this.floor.windowMs) return false // not read for a whole window yet
    const least = (this.floor.bytesPerSec * Math.max(this.readMs, this.floor.windowMs)) / 1000
    const slow = this.bytes < least
    this.bytes = 0
    this.readMs = 0
    return slow
  }
}
