// --json: one event per line on stdout (NDJSON), nothing else there. Progress is throttled to one event
// per PROGRESS_EVERY_MS for the whole pull, so a consumer's log grows with time, not with bytes.
import type { HfxError } from '../errors.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { RetryNotice } from '../retry/with-retry.js'
import {
  doneEvent,
  errorEvent,
  fileDoneEvent,
  fileFailedEvent,
  fileStartEvent,
  planEvent,
  retryEvent,
  waitingEvent,
  type JsonEvent,
} from './events.js'
import { RateMeter } from './rate-meter.js'
import { PullTally } from './tally.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import { jsonText } from '../escape-controls.js'

const PROGRESS_EVERY_MS = 1_000

export class JsonReporter implements Reporter {
  private readonly tally = new PullTally()
  private lastProgress: number
  private meter: RateMeter
  private closed = false

  constructor(
    private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
    private readonly now: () => number = Date.now,
  ) {
    this.lastProgress = now()
    this.meter = new RateMeter(now())
  }

  private emit(e: JsonEvent): void {
    this.write(jsonText(e))
  }

  planned(e: PlanEvent): void {
    const ev = planEvent(e, this.now())
    this.tally.planned(e.plan)
    this.meter = new RateMeter(this.now())
    this.lastProgress = this.now()
    this.emit(ev)
  }

  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.tally.fileStarted(f, resumedBytes)
    this.emit(fileStartEvent(f, resumedBytes, this.now()))
  }

  progress(f: PlannedFile, bytes: number): void {
    const now = this.now()
    this.tally.progress(f, bytes)
    this.meter.add(bytes, now)
    if (now - this.lastProgress < PROGRESS_EVERY_MS) return
    this.lastProgress = now
    const t = this.tally.snapshot()
    const rate = this.meter.rate(now)
    const left = Math.max(0, t.bytes.toDownload - t.bytes.downloaded)
    this.emit({
      event: 'progress',
      time: new Date(now).toISOString(),
      bytesDownloaded: t.bytes.downloaded,
      bytesToDownload: t.bytes.toDownload,
      filesDone: t.files.done,
      filesToDownload: t.files.toFetch,
      bytesPerSec: Math.round(rate),
      etaMs: rate > 0 ? Math.round((left / rate) * 1000) : null,
      inFlight: t.inFlight.map((s) => ({ path: s.file.path, size: s.file.size, bytesDone: Math.min(s.bytesDone, s.file.size) })),
    })
  }

  retrying(n: RetryNotice, f?: PlannedFile): void {
    const path = f?.path ?? n.path
    this.emit(retryEvent(n, path, this.now()))
  }

  waiting(f: PlannedFile, w: LockWait): void {
    this.emit(waitingEvent(f, w, this.now()))
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.tally.fileDone(f)
    this.emit(fileDoneEvent(f, r, this.now()))
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.tally.fileFailed(f)
    this.emit(fileFailedEvent(f, error, this.now()))
  }

  done(s: PullSummary): void {
    this.emit(doneEvent(s, this.now()))
  }

  close(error?: HfxError): void {
    if (this.closed) return
    this.closed = true
    if (error) this.emit(errorEvent(error, this.now()))
  }
}
