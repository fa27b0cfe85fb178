// What a pull tells the outside world, as events: the engine's outbound port. It lives here, beside the
// engine that calls it, so pull/ never imports report/; the printers there (terminal bars, CI lines,
// --json) implement it, and all three print the same events, so none can show what the others do not know.
import type { HfxError } from '../errors.js'
import type { RetryNotice } from '../retry/with-retry.js'
import type { LockWait } from './blob-lock.js'
import type { VariantPick } from './pick-variant.js'
import type { Plan, PlannedFile } from './plan.js'

export interface PlanEvent {
  repo: string
  type: string
  revision: string
  commit: string
  root: string
  plan: Plan
  freeBytes?: number
  /** The download fits in `freeBytes` (false only in a dry run: a real pull stops before planning). */
  fits?: boolean
  dryRun: boolean
  /** The weight variant a `:TAG` or --fit chose, and why. */
  variant?: VariantPick
}

/** A --local-dir file that held local changes when the pull replaced it, and where those changes are kept. */
export interface ReplacedFile {
  path: string
  keptAt: string
}

export interface PullSummary {
  repo: string
  revision: string
  commit: string
  path: string
  files: number
  downloadedBytes: number
  reusedBytes: number
  durationMs: number
  failed: { path: string; error: string }[]
  /** Files of a --local-dir that had been edited (or put there) and were replaced: each is kept at keptAt. */
  replaced: ReplacedFile[]
}

export interface Reporter {
  planned(e: PlanEvent): void
  fileStarted(f: PlannedFile, resumedBytes: number): void
  progress(f: PlannedFile, bytes: number): void
  /** `f` is the file whose download is retrying; absent for metadata calls (revision, tree, HEAD). */
  retrying(n: RetryNotice, f?: PlannedFile): void
  /** Another process is downloading this blob; we wait for it instead of fetching it twice (or stop waiting). */
  waiting(f: PlannedFile, w: LockWait): void
  fileDone(f: PlannedFile, r: { hash: string; downloaded: number }): void
  fileFailed(f: PlannedFile, error: string): void
  done(s: PullSummary): void
  /**
   * Called by the command, never by the engine, once the pull has ended: bars stop, and `error` (when
   * the pull failed or was interrupted) becomes the final JSON event. The CLI edge still prints the text.
   */
  close(error?: HfxError): void
}
