// Bars on a terminal (stderr): one line for the whole pull and one per file in flight, redrawn by
// cli-progress at most FPS times a second, and at once when the terminal is resized. A finished file's bar
// goes away; a large file leaves a ✓ line above the bars, small ones only add to one counter line, so a repo
// of thousands of small files does not flood the scrollback. The bar
// text comes from bar-lines.ts and the numbers from tally.ts; this class decides when bars appear and go. Server
// strings (paths, revisions, error text) pass through escapeControls before they meet our own colour codes,
// so none of them reaches the terminal as a control sequence.
import cliProgress from 'cli-progress'
import type { ChalkInstance } from 'chalk'
import { escapeControls as shown } from '../escape-controls.js'
import type { HfxError } from '../errors.js'
import { formatBytes, formatHeader } from '../format.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { RetryNotice } from '../retry/with-retry.js'
import { fileLine, fit, overallLine, smallFilesLine, wrapList } from './bar-lines.js'
import { planFigures } from './plan-text.js'
import { distinctParts, type Window } from './short-name.js'
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
/**
 * Files under this size get no ✓ line of their own, only a count: configs, tokenizers, the thousands of
 * shards of a dataset. The files a user waits for (weights) are larger and keep their line and hash.
 */
export const SMALL_FILE_BYTES = 10_000_000

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
  /** Another process holds the blob's lock and we wait for it (until bytes flow or the wait gives up). */
  locked?: boolean
}

export interface TtyOptions {
  /** stdout is the same terminal: the snapshot path printed there needs no second copy in the summary. */
  pathOnStdout?: boolean
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
  private distinct = new Map<string, Window>()
  private readonly small = { count: 0, total: 0, bytes: 0 }
  private readonly onResize = () => {
    // Redraw now at the new width rather than at the next tick: a frame cut for the old width would wrap.
    if (this.multi && !this.stopped) this.multi.update()
  }

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly c: ChalkInstance,
    private readonly opts: TtyOptions = {},
  ) {}

  planned(e: PlanEvent): void {
    this.tally.planned(e.plan)
    this.started = Date.now()
    this.meter = new RateMeter(this.started)
    for (const line of this.wrap(shown(formatHeader(e.repo, e.revision, e.commit)))) this.println(this.c.bold(line))
    if (e.variant) for (const line of this.wrap(shown(e.variant.reason))) this.println(line)
    // Nothing to download: the summary's "up to date" line says it all.
    if (e.dryRun || this.tally.snapshot().files.toFetch === 0) return
    for (const line of this.wrap(shown(planFigures(e)))) this.println(line)
    this.distinct = distinctParts(e.plan.files.filter((f) => f.action === 'fetch').map((f) => shown(f.path)))
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
    // Right below the overall line, before any file bar (cli-progress draws bars in the order they were made).
    this.small.total = e.plan.files.filter((f) => f.action === 'fetch' && f.size < SMALL_FILE_BYTES).length
    if (this.small.total > 0) this.multi.create(1, 0, { render: (w: number) => fit(this.smallText(), w) })
    this.stream.on('resize', this.onResize)
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
    if (slot) {
      slot.wait = undefined
      slot.locked = false
    }
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
    const slot = this.inFlight.get(f.path)
    if (slot) slot.locked = !w.gaveUp
    this.log(w.gaveUp ? this.c.yellow(text) : this.c.dim(text))
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.tally.fileDone(f)
    this.dropBar(f)
    if (f.size < SMALL_FILE_BYTES) this.countSmall(f)
    else this.log(`${this.c.green('✓')} ${shown(f.path)} ${this.c.dim(`${formatBytes(f.size)} ${f.expected.algorithm}:${r.hash.slice(0, 12)}`)}`)
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.tally.fileFailed(f)
    this.dropBar(f)
    this.log(`${this.c.red('✗')} ${shown(`${f.path}: ${error}`)}`)
  }

  done(s: PullSummary): void {
    this.stopBars()
    if (this.small.count > 0) this.println(this.smallText(true))
    for (const line of replacedLines(s)) for (const part of this.wrap(shown(line))) this.println(this.c.yellow(part))
    for (const line of this.wrap(shown(summaryLine(s, !this.opts.pathOnStdout)))) this.println(s.failed.length ? this.c.yellow(line) : this.c.green(line))
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
        elapsedMs: now - this.started,
        // A file's wait lasts until its bytes flow again (progress() clears it), past the countdown's end.
        paused: (w !== undefined && w.until > now) || [...this.inFlight.values()].some((s) => s.locked || s.wait !== undefined),
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
        distinct: this.distinct.get(shown(slot.f.path)),
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

  private countSmall(f: PlannedFile): void {
    this.small.count++
    this.small.bytes += f.size
  }

  /** "✓ 12/2,001 small files …" while they come in, "✓ 2,001 small files …" once all are done (or the pull ends). */
  private smallText(final = false): string {
    return smallFilesLine(this.small.count, final ? this.small.count : this.small.total, this.small.bytes, SMALL_FILE_BYTES, this.c)
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

  private wrap(text: string): string[] {
    return wrapList(text, this.stream.columns || 80)
  }

  private println(line: string): void {
    this.stream.write(`${line}\n`)
  }

  private stopBars(): void {
    if (!this.multi || this.stopped) return
    this.stopped = true
    this.stream.off('resize', this.onResize)
    // update() flushes the lines logged since the last redraw; stop() alone would drop them.
    this.multi.update()
    this.multi.stop()
  }
}
