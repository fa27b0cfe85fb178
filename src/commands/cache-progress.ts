// Progress of `hfx cache verify` on stderr: on a terminal one line rewritten in place at most every
// REDRAW_MS; elsewhere (CI logs, pipes) one plain line per file, so a long run shows it is alive.
import { formatBytes, formatCount, formatDuration, formatRate, plural } from '../format.js'
import type { Check, Problem } from '../cache/snapshot-check.js'
import { escapeControls } from '../escape-controls.js'

const REDRAW_MS = 100

export class VerifyProgress {
  private bytes = 0
  private files = 0
  private lastDraw = 0
  private readonly started = Date.now()
  private readonly tty = Boolean(process.stderr.isTTY)

  constructor(private readonly totalFiles: number, private readonly totalBytes: number) {}

  onBytes(n: number): void {
    this.bytes += n
    if (this.tty && Date.now() - this.lastDraw >= REDRAW_MS) this.draw()
  }

  onChecked(c: Check, problem: Problem | undefined): void {
    this.files++
    if (this.tty) {
      if (problem) this.line(`${problem.kind} ${c.path}: ${problem.detail}`)
      this.draw()
    } else {
      this.line(`${problem ? problem.kind : 'ok'} ${c.path}${problem ? `: ${problem.detail}` : ''}`)
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\r\x1b[K')
    const ms = Date.now() - this.started
    this.line(`hashed ${plural(this.files, 'file')}, ${formatBytes(this.bytes)} in ${formatDuration(ms)} (${formatRate(this.bytes / Math.max(0.001, ms / 1000))})`)
  }

  private line(text: string): void {
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}${escapeControls(text)}\n`) // paths came from servers
  }

  private draw(): void {
    this.lastDraw = Date.now()
    const pct = this.totalBytes ? ` (${((100 * this.bytes) / this.totalBytes).toFixed(1)}%)` : ''
    process.stderr.write(`\r\x1b[Kverifying ${formatCount(this.files)}/${plural(this.totalFiles, 'file')}, ${formatBytes(this.bytes)} / ${formatBytes(this.totalBytes)}${pct}`)
  }
}
