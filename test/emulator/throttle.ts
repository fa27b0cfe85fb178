// Bandwidth caps and latency. Pacing, not sampling: each chunk reserves its slot on a timeline, so the
// average rate holds exactly and an idle connection does not bank a burst.
import type { ThrottleSettings } from './types.js'

const UNTHROTTLED_CHUNK = 256 * 1024
// Throttled bodies go out in slices of about 50 ms of the cap, so rates stay smooth even on small files.
const SLICE_MS = 50
const MIN_CHUNK = 1024

class Pacer {
  private next = 0

  /** How long to wait before sending n bytes at this rate, reserving the time slot they take. */
  reserve(n: number, bytesPerSec: number): number {
    const now = performance.now()
    const start = Math.max(now, this.next)
    this.next = start + (n * 1000) / bytesPerSec
    return start - now
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

export class Throttle {
  private settings: ThrottleSettings = {}
  private global = new Pacer()
  private connections = new WeakMap<object, Pacer>()

  set(settings: ThrottleSettings): void {
    this.settings = { ...settings }
    this.global = new Pacer()
    this.connections = new WeakMap()
  }

  latency(signal: AbortSignal): Promise<void> {
    return sleep(this.settings.latencyMs ?? 0, signal)
  }

  chunkSize(): number {
    const rates = [this.settings.perConnectionBytesPerSec, this.settings.globalBytesPerSec].filter(
      (r): r is number => r !== undefined && r > 0,
    )
    if (rates.length === 0) return UNTHROTTLED_CHUNK
    const slice = Math.floor((Math.min(...rates) * SLICE_MS) / 1000)
    return Math.min(UNTHROTTLED_CHUNK, Math.max(MIN_CHUNK, slice))
  }

  /** Waits until n more bytes may be sent on this connection. */
  async take(n: number, connection: object, signal: AbortSignal): Promise<void> {
    const { perConnectionBytesPerSec: perConn, globalBytesPerSec: global } = this.settings
    let wait = 0
    if (global && global > 0) wait = this.global.reserve(n, global)
    if (perConn && perConn > 0) {
      let pacer = this.connections.get(connection)
      if (!pacer) this.connections.set(connection, (pacer = new Pacer()))
      wait = Math.max(wait, pacer.reserve(n, perConn))
    }
    await sleep(wait, signal)
  }
}
