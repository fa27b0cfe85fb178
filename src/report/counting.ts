// A reporter that also keeps the pull's tally, for what the command says after the printer is done: how far
// an interrupted pull got ("interrupted at 210 MB of 268 MB"). Every call goes on to the printer unchanged.
import { formatBytes } from '../format.js'
import type { PlannedFile } from '../pull/plan.js'
import type { PlanEvent } from '../pull/reporter.js'
import { PassThroughReporter } from './pass-through.js'
import { PullTally } from './tally.js'

export class CountingReporter extends PassThroughReporter {
  private readonly tally = new PullTally()
  private planned_ = false

  /** "210 MB of 268 MB": the selection's bytes on disk (reused, resumed, arrived) of its total; undefined before the plan. */
  progressText(): string | undefined {
    if (!this.planned_) return undefined
    const { bytes } = this.tally.snapshot()
    return `${formatBytes(bytes.cached + bytes.fetchedOnDisk)} of ${formatBytes(bytes.total)}`
  }

  override planned(e: PlanEvent): void {
    this.tally.planned(e.plan)
    this.planned_ = true
    super.planned(e)
  }

  override fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.tally.fileStarted(f, resumedBytes)
    super.fileStarted(f, resumedBytes)
  }

  override progress(f: PlannedFile, bytes: number): void {
    this.tally.progress(f, bytes)
    super.progress(f, bytes)
  }

  override fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void {
    this.tally.fileDone(f)
    super.fileDone(f, r)
  }

  override fileFailed(f: PlannedFile, error: string): void {
    this.tally.fileFailed(f)
    super.fileFailed(f, error)
  }
}
