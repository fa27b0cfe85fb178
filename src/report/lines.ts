// Plain lines on stderr for logs and pipes: no escape codes, no carriage returns, one line per finished
// file, and a progress line at most every PROGRESS_EVERY_MS, so a CI log of a 690 GB pull stays readable.
// Paths and error text come from the server: every line shows control characters as escapes.
import { escapeControls } from '../escape-controls.js'
import { formatBytes, formatDuration, formatHeader, formatRate, plural } from '../format.js'
import { planFigures } from './plan-text.js'
import { replacedLines } from './replaced-text.js'
import { summaryLine } from './summary-line.js'
import { PullTally } from './tally.js'
import { waitingText } from './waiting-text.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { RetryNotice } from '../retry/with-retry.js'

const PROGRESS_EVERY_MS = 10_000
/** The first progress line comes sooner, so a short CI job still logs its speed and ETA once. */
const FIRST_PROGRESS_MS = 3_000

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
    this.write(formatHeader(e.repo, e.revision, e.commit))
    if (e.variant) this.write(e.variant.reason)
    // Nothing to download: the summary's "up to date" line says it all.
    if (this.tally.snapshot().files.toFetch > 0) this.write(planFigures(e))
    this.started = Date.now()
    this.lastLine = this.started - PROGRESS_EVERY_MS + FIRST_PROGRESS_MS
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
      // Over the whole run, as the rate printed beside it: a log line is read later, not watched.
      const eta = rate > 0 ? `, ETA ${formatDuration((Math.max(0, b.toDownload - b.downloaded) / rate) * 1000)}` : ''
      this.write(
        `progress ${formatBytes(b.downloaded)} / ${formatBytes(b.toDownload)}${pct}, ${files.done}/${plural(files.toFetch, 'file')}, ${formatRate(rate)}${eta}, ${formatDuration(now - this.started)} elapsed`,
      )
    }
  }

  retrying(n: RetryNotice): void {
    // A mirror's notice already says where the file goes next.
    if (n.kind === 'mirror') return this.write(`warning: ${n.detail}`)
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
