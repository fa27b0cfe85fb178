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
import { retryFile } from './retry-reason.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import { jsonText } from '../escape-controls.js'

const PROGRESS_EVERY_MS = 1_000

export class JsonReporter implements Reporter {
  private readonly inFlight = new Map<string, { f: PlannedFile; done: number }>()
  private readonly paths = new Set<string>()
  private bytesDownloaded = 0
  private bytesToDownload = 0
  private filesDone = 0
  private filesToDownload = 0
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
    for (const f of e.plan.files) this.paths.add(f.path)
    this.bytesToDownload = ev.downloadBytes
    this.filesToDownload = ev.downloadFiles
    this.meter = new RateMeter(this.now())
    this.lastProgress = this.now()
    this.emit(ev)
  }

  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.inFlight.set(f.path, { f, done: resumedBytes })
    this.emit(fileStartEvent(f, resumedBytes, this.now()))
  }

  progress(f: PlannedFile, bytes: number): void {
    const now = this.now()
    this.bytesDownloaded += bytes
    this.meter.add(bytes, now)
    const slot = this.inFlight.get(f.path)
    if (slot) slot.done += bytes
    if (now - this.lastProgress < PROGRESS_EVERY_MS) return
    this.lastProgress = now
    const rate = this.meter.rate(now)
    const left = Math.max(0, this.bytesToDownload - this.bytesDownloaded)
    this.emit({
      event: 'progress',
      time: new Date(now).toISOString(),
      bytesDownloaded: this.bytesDownloaded,
      bytesToDownload: this.bytesToDownload,
      filesDone: this.filesDone,
      filesToDownload: this.filesToDownload,
      bytesPerSec: Math.round(rate),
      etaMs: rate > 0 ? Math.round((left / rate) * 1000) : null,
      inFlight: [...this.inFlight.values()].map((s) => ({ path: s.f.path, size: s.f.size, bytesDone: Math.min(s.done, s.f.size) })),
    })
  }

  retrying(n: RetryNotice, f?: PlannedFile): void {
    const path = f?.path ?? retryFile(n.reason, this.paths)
    this.emit(retryEvent(n, path, this.now()))
  }

  waiting(f: PlannedFile, w: LockWait): void {
    this.emit(waitingEvent(f, w, this.now()))
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.inFlight.delete(f.path)
    this.filesDone++
    this.emit(fileDoneEvent(f, r, this.now()))
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.inFlight.delete(f.path)
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
