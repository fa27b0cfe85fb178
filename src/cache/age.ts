// Ages as people type them (--older-than 30m, 12h, 7d) and as listings show them ("3 days ago"). Pure.
import { InvalidArgumentError } from 'commander'

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }

/** `30m`, `12h`, `7d`, `2w`, `90s`, `0`; commander reports the InvalidArgumentError as a usage error. */
export function parseAge(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw]?)$/i.exec(text.trim())
  if (!m || (m[2] === '' && Number(m[1]) !== 0)) {
    throw new InvalidArgumentError('expected an age such as 30m, 12h or 7d (s, m, h, d, w).')
  }
  return m[2] === '' ? 0 : Number(m[1]) * UNIT_MS[m[2].toLowerCase()]
}

const STEPS: [number, string][] = [
  [UNIT_MS.w * 52, 'year'],
  [UNIT_MS.w * 4, 'month'],
  [UNIT_MS.w, 'week'],
  [UNIT_MS.d, 'day'],
  [UNIT_MS.h, 'hour'],
  [UNIT_MS.m, 'minute'],
]

/** "just now", "5 minutes ago", "3 days ago", "2 months ago": whole units, rounded down. */
export function formatAgo(thenMs: number, nowMs: number): string {
  if (!thenMs) return 'never'
  const ms = nowMs - thenMs
  if (ms < 0) return 'in the future'
  for (const [unit, name] of STEPS) {
    const n = Math.floor(ms / unit)
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`
  }
  return 'just now'
}
