// The text of each terminal bar, as pure functions of the numbers, the width and a chalk instance; tty.ts
// only decides when to draw. Lines are cut to the terminal width: a wrapped bar line breaks every redraw
// after it (the cursor moves up by lines, not rows). What goes first on a narrow screen is decided here.
import type { ChalkInstance } from 'chalk'
import { formatBytes, formatCount, formatDuration, formatRate, plural } from '../format.js'
import { shorten, type Window } from './short-name.js'

export interface OverallView {
  bytesDone: number
  bytesTotal: number
  filesDone: number
  filesTotal: number
  /** Undefined until there is enough to measure: a rate from the first 100 ms promises a 200-hour ETA. */
  bytesPerSec?: number
  /** Since the plan: shown beside the ETA, so a user sees the pull is alive even while the ETA is held. */
  elapsedMs?: number
  /**
   * A wait is in progress (rate limit countdown, another process's lock): no ETA, since a rate that dropped
   * to zero for a known reason predicts nothing ("5m 24s" during a 4 s Retry-After).
   */
  paused?: boolean
  /** A wait that concerns the whole pull (metadata retries), already phrased. */
  note?: string
}

export interface FileBarView {
  path: string
  bytesDone: number
  size: number
  note?: string
  /** The part of `path` that tells it apart from the other files (short-name.ts): kept when the path is cut. */
  distinct?: Window
}

const OVERALL_BAR = 24
const FILE_BAR = 16
/** Bars shrink to this before any figure goes; below it a bar says nothing the percentage does not. */
const MIN_BAR = 6
const PATH_MIN = 12
const SEP = ' · '

export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0))
  const full = Math.round(f * width)
  return '█'.repeat(full) + '░'.repeat(width - full)
}

function percent(done: number, total: number): string {
  const p = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 100
  return `${String(p).padStart(3)}%`
}

export function etaText(left: number, bytesPerSec: number | undefined): string {
  if (left <= 0) return 'ETA 0s'
  return bytesPerSec ? `ETA ${formatDuration((left / bytesPerSec) * 1000)}` : 'ETA --'
}

/**
 * Bar, percentage, bytes, files, speed, ETA, elapsed. On a narrow terminal the bar shrinks first, then the
 * file count goes, then the elapsed time, then the bar; speed and ETA stay to the last (fit cuts the rest).
 */
export function overallLine(v: OverallView, width: number, c: ChalkInstance): string {
  const done = Math.min(v.bytesDone, v.bytesTotal)
  const max = Math.max(20, width - 1)
  const amount = `${percent(done, v.bytesTotal)} ${formatBytes(done)}/${formatBytes(v.bytesTotal)}`
  const files = `${v.filesDone}/${plural(v.filesTotal, 'file')}`
  const rate = v.bytesPerSec === undefined ? '--/s' : formatRate(v.bytesPerSec)
  const eta = v.paused ? undefined : etaText(v.bytesTotal - done, v.bytesPerSec)
  const elapsed = v.elapsedMs === undefined ? undefined : `${formatDuration(v.elapsedMs)} elapsed`
  const note = v.note ? `  ${c.yellow(v.note)}` : ''
  const fraction = v.bytesTotal > 0 ? done / v.bytesTotal : 1
  const variants: { withBar: boolean; parts: (string | undefined)[] }[] = [
    { withBar: true, parts: [amount, files, rate, eta, elapsed] },
    { withBar: true, parts: [amount, rate, eta, elapsed] },
    { withBar: true, parts: [amount, rate, eta] },
    { withBar: false, parts: [amount, rate, eta] },
  ]
  for (const { withBar, parts } of variants) {
    const text = parts.filter((p) => p !== undefined).join(SEP)
    if (!withBar) return fit(text + note, width)
    const room = Math.min(OVERALL_BAR, max - text.length - 1)
    if (room >= MIN_BAR) return fit(`${c.cyan(bar(fraction, room))} ${text}${note}`, width)
  }
  return fit(amount, width)
}

/**
 * `labelWidth` lines up the bars of the files in flight (the longest of their paths). When the width is
 * short the bar shrinks first, then the path is cut around its distinct part; the figures stay.
 */
export function fileLine(v: FileBarView, width: number, c: ChalkInstance, labelWidth = v.path.length): string {
  const done = Math.min(v.bytesDone, v.size)
  const max = Math.max(20, width - 1)
  const figures = `${percent(done, v.size)} ${formatBytes(done)}/${formatBytes(v.size)}`
  const note = v.note ? `  ${c.yellow(v.note)}` : ''
  // "  <path> <bar> <figures>": what the path and the bar share.
  const shared = max - 2 - 1 - 1 - figures.length
  const label = Math.min(Math.max(PATH_MIN, labelWidth), Math.max(PATH_MIN, shared - MIN_BAR))
  const barWidth = Math.max(MIN_BAR, Math.min(FILE_BAR, shared - label))
  const path = shorten(v.path, Math.max(PATH_MIN, shared - barWidth), v.distinct)
  const line = `  ${path.padEnd(label)} ${c.green(bar(v.size > 0 ? done / v.size : 1, barWidth))} ${figures}${note}`
  return fit(line, width)
}

/**
 * The line that stands for the small files: "✓ 12/2,001 small files (under 10 MB each), 312 kB" while they
 * come in, "✓ 2,001 small files (…)" once `done` reaches `total`.
 */
export function smallFilesLine(done: number, total: number, bytes: number, threshold: number, c: ChalkInstance): string {
  const count = done === total ? plural(total, 'small file') : `${formatCount(done)}/${plural(total, 'small file')}`
  return `${c.green('✓')} ${count} ${c.dim(`(under ${formatBytes(threshold)} each), ${formatBytes(bytes)}`)}`
}

const ANSI = /\x1b\[[0-9;]*m/g

export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length
}

/**
 * Plain text (no colours) broken after ", " or "→ " into lines of at most `width - 1` columns, for the lines
 * printed once (header, figures, summary): on a narrow terminal they read better so than wrapped mid-word.
 */
export function wrapList(text: string, width: number): string[] {
  const max = Math.max(20, width - 1)
  const lines: string[] = []
  let line = ''
  for (const part of text.split(/(?<=, |→ )/)) {
    if (line && (line + part).trimEnd().length > max) {
      lines.push(line.trimEnd())
      line = ''
    }
    line += part
  }
  if (line) lines.push(line.trimEnd())
  return lines
}

/** Cuts to `width - 1` visible columns (the last column would make some terminals wrap), keeping colours closed. */
export function fit(s: string, width: number): string {
  const max = Math.max(20, width - 1)
  if (visibleLength(s) <= max) return s
  let out = ''
  let seen = 0
  for (let i = 0; i < s.length && seen < max - 1; ) {
    const m = s[i] === '\x1b' ? /^\x1b\[[0-9;]*m/.exec(s.slice(i)) : null
    if (m) {
      out += m[0]
      i += m[0].length
      continue
    }
    out += s[i++]
    seen++
  }
  return `${out}…${s.includes('\x1b') ? '\x1b[0m' : ''}`
}
