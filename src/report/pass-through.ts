// A reporter that hands every event on to another one: the base of the printers that add something around
// the plain lines (CI groups, the step summary) and override only the events they add to.
import type { HfxError } from '../errors.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { PlannedFile } from '../pull/plan.js'
import type { PlanEvent, PullSummary, Reporter } from '../pull/reporter.js'
import type { RetryNotice } from '../retry/with-retry.js'

export class PassThroughReporter implements Reporter {
  constructor(protected readonly inner: Reporter) {}

  planned(e: PlanEvent): void {
    this.inner.planned(e)
  }

  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.inner.fileStarted(f, resumedBytes)
  }

  progress(f: PlannedFile, bytes: number): void {
    this.inner.progress(f, bytes)
  }

  retrying(n: RetryNotice, f?: PlannedFile): void {
    this.inner.retrying(n, f)
  }

  waiting(f: PlannedFile, w: LockWait): void {
    this.inner.waiting(f, w)
  }

  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.inner.fileDone(f, r)
  }

  fileFailed(f: PlannedFile, error: string): void {
    this.inner.fileFailed(f, error)
  }

  done(s: PullSummary): void {
    this.inner.done(s)
  }

  close(error?: HfxError): void {
    this.inner.close(error)
  }
}
