// A bandwidth cap as people type it for curl's --limit-rate and aria2c's --max-overall-download-limit:
// bytes per second, with K, M or G meaning 1024, 1024² and 1024³ as both tools count them (so 50M is
// 50 MiB/s). Shared by the --limit-rate flag and HFX_LIMIT_RATE, so both accept the same spellings.

const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/** What a bad value is told, after the value itself. */
export const RATE_FORMS = 'expected bytes per second such as 50M, 500K or 1.5M (0: no cap)'

/**
 * Bytes per second (0: no cap), or undefined when `text` is not a rate. Accepts `50M`, `500k`, `1.5M`,
 * `50MB`, `50MiB`, `50M/s` and plain `1048576`; a cap that rounds to less than one byte per second is refused.
 */
export function parseByteRate(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmg]?)(?:i?b)?(?:\/s)?$/i.exec(text.trim())
  if (!m) return undefined
  const n = Math.round(Number(m[1]) * UNIT[m[2].toLowerCase()])
  if (!Number.isFinite(n) || (n === 0 && Number(m[1]) !== 0)) return undefined
  return n
}
