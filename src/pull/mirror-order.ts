// Which mirrors a file's bytes are asked of, and in what order: the failover decision of a pull with
// --mirror, kept pure so each rule is a row of a test. The Hub always comes last (fetch.ts); a mirror that
// failed often is dropped for the rest of the pull, and a slow one goes behind the others.

/** What a pull has seen of one mirror so far. */
export interface MirrorHealth {
  /** Files it failed (an error, a 404, bytes that did not match the Hub's hash). */
  failures: number
  /** Bytes of the files it served whole, and the time they took. */
  bytes: number
  ms: number
}

export const NEW_MIRROR: MirrorHealth = { failures: 0, bytes: 0, ms: 0 }

/** Failed files after which a mirror is skipped for the rest of the pull: one bad file may be a blip, three are not. */
export const MAX_MIRROR_FAILURES = 3
/** A mirror measured at less than this share of the fastest mirror's speed is asked after the others. */
export const SLOW_SHARE = 0.25
/** Files smaller than this say nothing about a mirror's speed (latency dominates): not measured. */
export const MIN_MEASURED_BYTES = 1024 * 1024

const speed = (h: MirrorHealth): number | undefined => (h.bytes >= MIN_MEASURED_BYTES && h.ms > 0 ? h.bytes / h.ms : undefined)

/** The indexes of the mirrors to try for the next file, best first (fewer failures, not slow, then as given). */
export function mirrorOrder(health: readonly MirrorHealth[]): number[] {
  const fastest = Math.max(0, ...health.map((h) => speed(h) ?? 0))
  const slow = (h: MirrorHealth) => {
    const s = speed(h)
    return s !== undefined && s < fastest * SLOW_SHARE ? 1 : 0
  }
  return health
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => h.failures < MAX_MIRROR_FAILURES)
    .sort((a, b) => a.h.failures - b.h.failures || slow(a.h) - slow(b.h) || a.i - b.i)
    .map(({ i }) => i)
}

/** The health after one more file: served whole in `ms` (`bytes` of it from this mirror), or failed. */
export function afterFile(h: MirrorHealth, outcome: { ok: true; bytes: number; ms: number } | { ok: false }): MirrorHealth {
  return outcome.ok ? { ...h, bytes: h.bytes + outcome.bytes, ms: h.ms + outcome.ms } : { ...h, failures: h.failures + 1 }
}
