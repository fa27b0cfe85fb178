// The pull's bandwidth cap (--limit-rate, HFX_LIMIT_RATE): one token bucket shared by every connection of
// every file, so the cap holds for the whole pull, as curl's and aria2c's overall limits do.
//
// Written here rather than taken from a library: the whole algorithm is the few lines of reserve(), and the
// one shape hfx needs (a connection asks after reading how long to wait before it reads again, so the
// socket stays paused and nothing piles up in memory) is not what rate-limiter packages offer (request
// counts, or queues that hold the data).
import { sleep } from '../retry/with-retry.js'

/**
 * Bytes may be read `bytesPerSec` a second on average, in bursts of up to `burst` bytes after a quiet spell.
 * A read larger than what the bucket holds puts it in debt: the reader waits until the debt is paid back,
 * and every reader that comes after waits behind it, so connections share the cap in the order they read.
 */
export class TokenBucket {
  private tokens: number
  private at: number

  constructor(
    readonly bytesPerSec: number,
    /** One second's worth by default: the cap is an average over about a second, as curl's is. */
    readonly burst = bytesPerSec,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = burst
    this.at = clock()
  }

  /** Takes `bytes` just read from the bucket; returns how many milliseconds to wait before reading again. */
  reserve(bytes: number): number {
    const now = this.clock()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.bytesPerSec) / 1000)
    this.at = now
    this.tokens -= bytes
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.bytesPerSec
  }

  /** Takes `bytes` and waits as long as the cap asks; an abort rejects at once (InterruptedError). */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const ms = this.reserve(bytes)
    if (ms > 0) await sleep(ms, signal)
  }
}
