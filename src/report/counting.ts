// A reporter that also keeps the pull's tally, for what the command says after the printer is done: how far
// an interrupted pull got ("interrupted at 210 MB of 268 MB"). Every call goes on to the printer unchanged.
import { formatBytes } from '../format.js'
import type { HfxError } from '../errors.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import type { RetryNotice } from '../retry/with-retry.js'
import { PullTally } from './tally.js'

export class CountingReporter implements Reporter {
  private readonly tally = new PullTally()
  private planned_ = false

  constructor(private readonly inner: Reporter) {}

  /** "210 MB of 268 MB": the selection's bytes on disk (reused, resumed, arrived) of its total; undefined before the plan. */
  progressText(): string | undefined {
    if (!this.planned_) return undefined
    const { bytes } = this.tally.snapshot()
    return `${formatBytes(bytes.cached + bytes.fetchedOnDisk)} of ${formatBytes(bytes.total)}`
  }

  planned(e: PlanEvent): void {
    this.tally.planned(e.plan)
    this.planned_ = true
    this.inner.planned(e)
  }

  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.tally.fileStarted(f, resumedBytes)
    this.inner.fileStarted(f, resumedBytes)
  }

  progress(f: PlannedFile, bytes: number): void {
    this.tally.progress(f, bytes)
    this.inner.progress(f, bytes)
  }

  retrying(n: RetryNotice, f?: PlannedFile): void {
    this.inner.retrying(n, f)
  }

  waiting(f: PlannedFile, w: LockWait): void {
    this.inner.waiting(f, w)
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.tally.fileDone(f)
    this.inner.fileDone(f, r)
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.tally.fileFailed(f)
    this.inner.fileFailed(f, error)
  }

  done(s: PullSummary): void {
    this.inner.done(s)
  }

  close(error?: HfxError): void {
    this.inner.close(error)
  }
}
