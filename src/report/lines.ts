// Plain lines on stderr for logs and pipes: no escape codes, no carriage returns, one line per finished
// file, and a progress line at most every PROGRESS_EVERY_MS, so a CI log of a 690 GB pull stays readable.
// Paths and error text come from the server: every line shows control characters as escapes.
import { escapeControls } from '../escape-controls.js'
import { formatBytes, formatDuration, formatRate } from '../format.js'
import { replacedLines } from './replaced-text.js'
import { summaryLine } from './summary-line.js'
import { PullTally } from './tally.js'
import { waitingText } from './waiting-text.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { RetryNotice } from '../retry/with-retry.js'

const PROGRESS_EVERY_MS = 10_000

export class LineReporter implements Reporter {
  private readonly tally = new PullTally()
  private lastLine = Date.now()
  private started = Date.now()

  private readonly write: (line: string) => void

  constructor(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {
    this.write = (line) => write(escapeControls(line))
  }

  planned(e: PlanEvent): void {
    this.tally.planned(e.plan)
    const { files, bytes } = this.tally.snapshot()
    this.write(`${e.repo} ${e.revision} → ${e.commit}`)
    this.write(
      `${files.total} files, ${formatBytes(bytes.total)}: ${files.toFetch} to download (${formatBytes(bytes.toDownload)}), ` +
        `${formatBytes(bytes.cached)} already in ${e.root.includes('snapshots') ? 'cache' : 'place'}` +
        (e.freeBytes !== undefined ? `, ${formatBytes(e.freeBytes)} free` : ''),
    )
    this.started = Date.now()
  }

  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.tally.fileStarted(f, resumedBytes)
    if (resumedBytes > 0) this.write(`resuming ${f.path} at ${formatBytes(resumedBytes)} of ${formatBytes(f.size)}`)
  }

  progress(f: PlannedFile, bytes: number): void {
    this.tally.progress(f, bytes)
    const now = Date.now()
    if (now - this.lastLine >= PROGRESS_EVERY_MS) {
      this.lastLine = now
      const { bytes: b, files } = this.tally.snapshot()
      const rate = b.downloaded / Math.max(0.001, (now - this.started) / 1000)
      const pct = b.toDownload ? ` (${((100 * b.downloaded) / b.toDownload).toFixed(1)}%)` : ''
      this.write(`progress ${formatBytes(b.downloaded)} / ${formatBytes(b.toDownload)}${pct}, ${files.done}/${files.toFetch} files, ${formatRate(rate)}`)
    }
  }

  retrying(n: RetryNotice): void {
    const wait = n.delayMs > 0 ? `, retrying in ${formatDuration(n.delayMs)}` : ', retrying'
    this.write(`warning: ${n.detail}${wait} (${n.attempt}/${n.maxAttempts})`)
  }

  waiting(f: PlannedFile, w: LockWait): void {
    this.write(waitingText(f.path, w))
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.tally.fileDone(f)
    this.write(`done ${f.path} ${formatBytes(f.size)} ${f.expected.algorithm}:${r.hash.slice(0, 12)}`)
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.tally.fileFailed(f)
    this.write(`failed ${f.path}: ${error}`)
  }

  done(s: PullSummary): void {
    for (const line of replacedLines(s)) this.write(line)
    this.write(summaryLine(s))
  }

  close(): void {}
}

/** For --quiet: nothing on stderr but errors (printed by the CLI edge). */
export class SilentReporter implements Reporter {
  planned(_e: PlanEvent): void {}
  fileStarted(): void {}
  progress(): void {}
  retrying(): void {}
  waiting(): void {}
  fileDone(): void {}
  fileFailed(): void {}
  done(): void {}
  close(): void {}
}
