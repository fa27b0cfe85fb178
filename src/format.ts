// Numbers as every printer shows them (tty, lines, summaries). Decimal units like the Hub's web page, so a
// size here matches the one a user sees on huggingface.co.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']
const PARAM_UNITS = ['', 'K', 'M', 'B', 'T']

/** 3 significant digits: "512 B", "1.50 kB", "12.3 MB", "690 GB", "1.23 TB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} B`
  if (n < 0) return `-${formatBytes(-n)}`
  if (n < 1000) return `${Math.round(n)} B`
  return scaled(n, BYTE_UNITS, ' ')
}

/** Powers of 1024, as GPUs count memory (nvidia-smi's MiB): "128 KiB", "15.0 GiB". */
export function formatBinaryBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} B`
  if (n < 0) return `-${formatBinaryBytes(-n)}`
  if (n < 1024) return `${Math.round(n)} B`
  return scaled(n, BINARY_UNITS, ' ', 1024)
}

/** Memory as both a disk and a GPU count it: "16.1 GB (15.0 GiB)". */
export function formatMemory(n: number): string {
  return n < 1000 ? formatBytes(n) : `${formatBytes(n)} (${formatBinaryBytes(n)})`
}

export function formatRate(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`
}

/** "0.4s", "42s", "3m 05s", "2h 04m": precision that fits a progress line and still means something. */
export function formatDuration(ms: number): string {
  const t = Number.isFinite(ms) && ms > 0 ? ms : 0
  if (t < 9950) return `${(t / 1000).toFixed(1)}s`
  const s = Math.round(t / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`
  return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n)
}

/** "1 file", "2 files", "1,998 small files": a count and its noun, never "1 files" or "file(s)". */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`
}

/**
 * The first line of every command that speaks about one commit of a repo (ls, info, pull, --dry-run, cache
 * verify): "org/name  main → <commit>". The full commit, so it can be pasted back as a revision; `note`
 * follows in parentheses ("dry run: nothing downloaded").
 */
export function formatHeader(repo: string, revision: string, commit: string, note?: string): string {
  const at = revision === commit ? commit : `${revision} → ${commit}`
  return `${repo}  ${at}${note ? ` (${note})` : ''}`
}

/** Parameter counts as model cards write them, 3 significant digits: "671B", "8.03B", "124M", "5.00K". */
export function formatParams(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (n < 0) return `-${formatParams(-n)}`
  if (n < 1000) return String(Math.round(n))
  return scaled(n, PARAM_UNITS, '')
}

/** n >= base scaled by powers of base to 3 significant digits, moving up a unit when rounding reaches 1000. */
function scaled(n: number, units: string[], gap: string, base = 1000): string {
  let unit = 0
  let v = n
  while (v >= 1000 && unit < units.length - 1) {
    v /= base
    unit++
  }
  let text = threeDigits(v)
  if (Number(text) >= 1000 && unit < units.length - 1) {
    unit++
    text = threeDigits(v / base)
  }
  return `${text}${gap}${units[unit]}`
}

function threeDigits(v: number): string {
  // Decide decimals on the rounded value: 9.996 must print as "10.0", not "10.00".
  for (const decimals of [2, 1, 0]) {
    const text = v.toFixed(decimals)
    if (Number(text) < 10 ** (3 - decimals) || decimals === 0) return text
  }
  return v.toFixed(0)
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}
