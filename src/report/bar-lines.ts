// The text of each terminal bar, as pure functions of the numbers, the width and a chalk instance; tty.ts
// only decides when to draw. Lines are cut to the terminal width: a wrapped bar line breaks every redraw
// after it (the cursor moves up by lines, not rows).
import type { ChalkInstance } from 'chalk'
import { formatBytes, formatDuration, formatRate } from '../format.js'

export interface OverallView {
  bytesDone: number
  bytesTotal: number
  filesDone: number
  filesTotal: number
  /** Undefined until there is enough to measure: a rate from the first 100 ms promises a 200-hour ETA. */
  bytesPerSec?: number
  /** A wait that concerns the whole pull (metadata retries), already phrased. */
  note?: string
}

export interface FileBarView {
  path: string
  bytesDone: number
  size: number
  note?: string
}

const OVERALL_BAR = 24
const FILE_BAR = 16
const PATH_MIN = 12

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

export function overallLine(v: OverallView, width: number, c: ChalkInstance): string {
  const done = Math.min(v.bytesDone, v.bytesTotal)
  const parts = [
    `${c.cyan(bar(v.bytesTotal > 0 ? done / v.bytesTotal : 1, OVERALL_BAR))} ${percent(done, v.bytesTotal)} ${formatBytes(done)}/${formatBytes(v.bytesTotal)}`,
    `${v.filesDone}/${v.filesTotal} files`,
    v.bytesPerSec === undefined ? '--/s' : formatRate(v.bytesPerSec),
    etaText(v.bytesTotal - done, v.bytesPerSec),
  ]
  const line = parts.join(' · ') + (v.note ? `  ${c.yellow(v.note)}` : '')
  return fit(line, width)
}

/** `labelWidth` lines up the bars of the files in flight (the longest of their paths). */
export function fileLine(v: FileBarView, width: number, c: ChalkInstance, labelWidth = v.path.length): string {
  const done = Math.min(v.bytesDone, v.size)
  const tail = `${c.green(bar(v.size > 0 ? done / v.size : 1, FILE_BAR))} ${percent(done, v.size)} ${formatBytes(done)}/${formatBytes(v.size)}`
  const note = v.note ? `  ${c.yellow(v.note)}` : ''
  // The path gets what is left once the bar and numbers fit; the note is cut first, then the path.
  const room = Math.max(PATH_MIN, width - 1 - 2 - visibleLength(tail) - 1)
  return fit(`  ${shorten(v.path, room).padEnd(Math.min(room, Math.max(PATH_MIN, labelWidth)))} ${tail}${note}`, width)
}

export function headerLine(repo: string, revision: string, commit: string, cachedBytes: number, totalFiles: number, c: ChalkInstance): string {
  const cached = cachedBytes > 0 ? `, ${c.bold(formatBytes(cachedBytes))} already in cache` : ''
  return `${c.bold(`${repo}@${revision}`)} → ${commit.slice(0, 12)}: ${totalFiles} files${cached}`
}

/** Keeps the end of a long path, where the file name is: "…/model-00003-of-00163.safetensors". */
export function shorten(p: string, max: number): string {
  if (p.length <= max) return p
  return `…${p.slice(p.length - max + 1)}`
}

const ANSI = /\x1b\[[0-9;]*m/g

export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length
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
