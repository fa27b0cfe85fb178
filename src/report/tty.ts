// Bars on a terminal (stderr): one line for the whole pull and one per file in flight, redrawn by
// cli-progress at most FPS times a second. Finished files scroll up above the bars as plain lines. The bar
// text comes from bar-lines.ts and the numbers from tally.ts; this class decides when bars appear and go. Server
// strings (paths, revisions, error text) pass through escapeControls before they meet our own colour codes,
// so none of them reaches the terminal as a control sequence.
import cliProgress from 'cli-progress'
import type { ChalkInstance } from 'chalk'
import { escapeControls as shown } from '../escape-controls.js'
import type { HfxError } from '../errors.js'
import { formatBytes } from '../format.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { RetryNotice } from '../retry/with-retry.js'
import { fileLine, fit, headerLine, overallLine } from './bar-lines.js'
import { RateMeter } from './rate-meter.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import { retryText } from './retry-text.js'
import { replacedLines } from './replaced-text.js'
import { summaryLine } from './summary-line.js'
import { PullTally } from './tally.js'
import { waitingText } from './waiting-text.js'

/** Redraws per second: smooth enough to read as motion, cheap enough to not matter next to the download. */
const FPS = 10
/** Speed and ETA appear once the pull has run this long. */
const MEASURE_AFTER_MS = 1_500
/** File bars beyond this stay hidden (they still count in the overall bar), so the block fits a screen. */
const MAX_FILE_BARS = 8

type Bar = cliProgress.SingleBar
type Render = (width: number) => string

interface Wait {
  notice: RetryNotice
  until: number
}

interface InFlight {
  f: PlannedFile
  bar?: Bar
  wait?: Wait
}

export class TtyReporter implements Reporter {
  private multi?: cliProgress.MultiBar
  private readonly tally = new PullTally()
  /** The bar and the wait of each file in flight (the tally has its bytes). */
  private readonly inFlight = new Map<string, InFlight>()
  private meter = new RateMeter(Date.now())
  private started = Date.now()
  private globalWait?: Wait
  private stopped = false

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly c: ChalkInstance,
  ) {}

  planned(e: PlanEvent): void {
    this.tally.planned(e.plan)
    this.started = Date.now()
    this.meter = new RateMeter(this.started)
    this.println(headerLine(shown(e.repo), shown(e.revision), shown(e.commit), e.plan.cachedBytes, e.plan.files.length, this.c))
    if (e.dryRun || this.tally.snapshot().files.toFetch === 0) return
    this.multi = new cliProgress.MultiBar({
      stream: this.stream,
      fps: FPS,
      hideCursor: true,
      linewrap: false,
      clearOnComplete: true,
      stopOnComplete: false,
      // Our own interrupt handler stops the bars (commands/interrupt.ts), in order with the error lines.
      gracefulExit: false,
      format: (_opts: unknown, params: { maxWidth: number }, payload: { render: Render }) => payload.render(params.maxWidth),
    })
    // The overall bar renders itself from our totals; nothing updates it directly.
    this.multi.create(1, 0, { render: (w: number) => this.overallText(w) })
  }

  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.tally.fileStarted(f, resumedBytes)
    const slot: InFlight = { f }
    this.inFlight.set(f.path, slot)
    this.showBars()
  }

  progress(f: PlannedFile, bytes: number): void {
    this.meter.add(bytes, Date.now())
    this.tally.progress(f, bytes)
    const slot = this.inFlight.get(f.path)
    // Bytes flowing again means the wait is over, even if the countdown has not reached zero.
    if (slot?.wait) slot.wait = undefined
    this.globalWait = undefined
  }

  retrying(n: RetryNotice, f?: PlannedFile): void {
    const wait = { notice: n, until: Date.now() + n.delayMs }
    const path = f?.path ?? n.path
    const slot = path === undefined ? undefined : this.inFlight.get(path)
    if (slot) slot.wait = wait
    else this.globalWait = wait
    if (!this.multi) this.println(this.c.yellow(shown(`${path ? `${path}: ` : ''}${retryText(n)}`)))
  }

  waiting(f: PlannedFile, w: LockWait): void {
    const text = shown(waitingText(f.path, w))
    this.log(w.gaveUp ? this.c.yellow(text) : this.c.dim(text))
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.tally.fileDone(f)
    this.dropBar(f)
    this.log(`${this.c.green('✓')} ${shown(f.path)} ${this.c.dim(`${formatBytes(f.size)} ${f.expected.algorithm}:${r.hash.slice(0, 12)}`)}`)
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.tally.fileFailed(f)
    this.dropBar(f)
    this.log(`${this.c.red('✗')} ${shown(`${f.path}: ${error}`)}`)
  }

  done(s: PullSummary): void {
    this.stopBars()
    for (const line of replacedLines(s)) this.println(this.c.yellow(shown(line)))
    const line = shown(summaryLine(s))
    this.println(s.failed.length ? this.c.yellow(line) : this.c.green(line))
  }

  close(_error?: HfxError): void {
    this.stopBars()
  }

  private overallText(width: number): string {
    const now = Date.now()
    const { files, bytes } = this.tally.snapshot()
    const w = this.globalWait
    return overallLine(
      {
        bytesDone: bytes.cached + bytes.fetchedOnDisk,
        bytesTotal: bytes.cached + bytes.toFetch,
        filesDone: files.cached + files.done,
        filesTotal: files.total,
        bytesPerSec: now - this.started >= MEASURE_AFTER_MS ? this.meter.rate(now) : undefined,
        note: w && w.until + 1000 > now ? shown(retryText(w.notice, w.until - now)) : this.hiddenNote(),
      },
      width,
      this.c,
    )
  }

  private hiddenNote(): string | undefined {
    const hidden = [...this.inFlight.values()].filter((s) => !s.bar).length
    return hidden > 0 ? `(+${hidden} more in flight)` : undefined
  }

  private fileText(slot: InFlight, width: number): string {
    const now = Date.now()
    const w = slot.wait
    return fileLine(
      {
        path: shown(slot.f.path),
        bytesDone: this.tally.bytesOf(slot.f.path),
        size: slot.f.size,
        note: w ? shown(retryText(w.notice, Math.max(0, w.until - now))) : undefined,
      },
      width,
      this.c,
      Math.max(...[...this.inFlight.values()].filter((s) => s.bar).map((s) => shown(s.f.path).length)),
    )
  }

  /** Gives bars to files in flight, in the order they started, up to MAX_FILE_BARS. */
  private showBars(): void {
    if (!this.multi || this.stopped) return
    let shown = [...this.inFlight.values()].filter((s) => s.bar).length
    for (const slot of this.inFlight.values()) {
      if (shown >= MAX_FILE_BARS) break
      if (slot.bar) continue
      slot.bar = this.multi.create(1, 0, { render: (w: number) => this.fileText(slot, w) })
      shown++
    }
  }

  private dropBar(f: PlannedFile): void {
    const slot = this.inFlight.get(f.path)
    this.inFlight.delete(f.path)
    if (slot?.bar && this.multi && !this.stopped) this.multi.remove(slot.bar)
    this.showBars()
  }

  /** A line above the bars (or straight to the stream when there are none). */
  private log(line: string): void {
    const width = this.stream.columns || 80
    if (this.multi && !this.stopped) this.multi.log(`${fit(line, width)}\n`)
    else this.println(line)
  }

  private println(line: string): void {
    this.stream.write(`${line}\n`)
  }

  private stopBars(): void {
    if (!this.multi || this.stopped) return
    this.stopped = true
    // update() flushes the lines logged since the last redraw; stop() alone would drop them.
    this.multi.update()
    this.multi.stop()
  }
}
