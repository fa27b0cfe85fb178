// The --json events: their shapes (the stable contract documented in README.md, "hfx pull --json") and pure builders
// from reporter calls. Field names never change meaning; new fields may be added. Sizes are bytes, times
// are milliseconds, `time` is an ISO 8601 UTC timestamp.
import type { HfxError } from '../errors.js'
import type { LockWait } from '../pull/blob-lock.js'
import type { VariantPick } from '../pull/pick-variant.js'
import type { PlannedFile } from '../pull/plan.js'
import type { RetryKind, RetryNotice } from '../retry/with-retry.js'
import { planView, type FileView } from './plan-view.js'
import type { PlanEvent, PullSummary } from '../pull/reporter.js'
import { maskCredentials } from '../repo/mask-credentials.js'

interface Base {
  time: string
}

export interface JsonPlan extends Base {
  event: 'plan'
  repo: string
  repoType: string
  revision: string
  commit: string
  path: string
  dryRun: boolean
  files: FileView[]
  totalFiles: number
  totalBytes: number
  cachedBytes: number
  downloadFiles: number
  downloadBytes: number
  freeBytes: number | null
  /** false: the download does not fit in freeBytes (a dry run then ends with the error event, exit 7). */
  fitsOnDisk: boolean | null
  /** Present when `:TAG` or --fit chose one weight variant: its name, files, totalBytes and reason. */
  variant?: VariantPick
}

export interface JsonFileStart extends Base {
  event: 'file_start'
  path: string
  size: number
  resumedBytes: number
}

export interface JsonProgress extends Base {
  event: 'progress'
  bytesDownloaded: number
  bytesToDownload: number
  filesDone: number
  filesToDownload: number
  bytesPerSec: number
  etaMs: number | null
  inFlight: { path: string; size: number; bytesDone: number }[]
}

export interface JsonFileDone extends Base {
  event: 'file_done'
  path: string
  size: number
  algorithm: 'sha256' | 'git-sha1'
  hash: string
  bytesDownloaded: number
}

export interface JsonFileFailed extends Base {
  event: 'file_failed'
  path: string
  message: string
}

export interface JsonRetry extends Base {
  event: 'retry'
  path: string | null
  kind: RetryKind
  reason: string
  /** kind "mirror": the mirror that failed the file or served bytes that did not match the Hub's hash; otherwise null. */
  mirror: string | null
  attempt: number
  maxAttempts: number
  waitMs: number
}

export interface JsonWaiting extends Base {
  event: 'waiting'
  path: string
  /** The lock file (or, with `lease`, the lease file) another process holds. */
  lock: string
  /** hfx's lease of a cache shared by several hosts, rather than huggingface_hub's lock. */
  lease: boolean
  waitedMs: number
  /** The holder showed no progress for this long: the pull went on without the lock (gaveUp). */
  patienceMs: number
  gaveUp: boolean
}

export interface JsonDone extends Base {
  event: 'done'
  repo: string
  revision: string
  commit: string
  path: string
  files: number
  bytesDownloaded: number
  bytesReused: number
  durationMs: number
  failed: { path: string; message: string }[]
  /** --local-dir files that held local changes when they were replaced, and where those are kept. */
  replaced: { path: string; keptAt: string }[]
}

export interface JsonError extends Base {
  event: 'error'
  code: string
  message: string
  hint: string | null
  exitCode: number
}

export type JsonEvent = JsonPlan | JsonFileStart | JsonProgress | JsonFileDone | JsonFileFailed | JsonRetry | JsonWaiting | JsonDone | JsonError

const iso = (now: number) => new Date(now).toISOString()

export function planEvent(e: PlanEvent, now: number): JsonPlan {
  const files = planView(e.plan)
  return {
    event: 'plan',
    time: iso(now),
    repo: e.repo,
    repoType: e.type,
    revision: e.revision,
    commit: e.commit,
    path: e.root,
    dryRun: e.dryRun,
    files,
    totalFiles: files.length,
    totalBytes: e.plan.totalBytes,
    cachedBytes: e.plan.cachedBytes,
    downloadFiles: files.filter((f) => f.action === 'fetch').length,
    downloadBytes: e.plan.downloadBytes,
    freeBytes: e.freeBytes ?? null,
    fitsOnDisk: e.fits ?? null,
    ...(e.variant && { variant: e.variant }),
  }
}

export function fileStartEvent(f: PlannedFile, resumedBytes: number, now: number): JsonFileStart {
  return { event: 'file_start', time: iso(now), path: f.path, size: f.size, resumedBytes }
}

export function fileDoneEvent(f: PlannedFile, r: { hash: string; downloaded: number }, now: number): JsonFileDone {
  return { event: 'file_done', time: iso(now), path: f.path, size: f.size, algorithm: f.expected.algorithm, hash: r.hash, bytesDownloaded: r.downloaded }
}

export function fileFailedEvent(f: PlannedFile, message: string, now: number): JsonFileFailed {
  return { event: 'file_failed', time: iso(now), path: f.path, message }
}

export function retryEvent(n: RetryNotice, path: string | undefined, now: number): JsonRetry {
  return { event: 'retry', time: iso(now), path: path ?? null, kind: n.kind, reason: n.detail, mirror: n.mirror ?? null, attempt: n.attempt, maxAttempts: n.maxAttempts, waitMs: Math.round(n.delayMs) }
}

export function waitingEvent(f: PlannedFile, w: LockWait, now: number): JsonWaiting {
  return { event: 'waiting', time: iso(now), path: f.path, lock: w.lockPath, lease: w.lease === true, waitedMs: Math.round(w.waitedMs), patienceMs: w.patienceMs, gaveUp: w.gaveUp }
}

export function doneEvent(s: PullSummary, now: number): JsonDone {
  return {
    event: 'done',
    time: iso(now),
    repo: s.repo,
    revision: s.revision,
    commit: s.commit,
    path: s.path,
    files: s.files,
    bytesDownloaded: s.downloadedBytes,
    bytesReused: s.reusedBytes,
    durationMs: s.durationMs,
    failed: s.failed.map((x) => ({ path: x.path, message: x.error })),
    replaced: s.replaced.map((r) => ({ path: r.path, keptAt: r.keptAt })),
  }
}

export function errorEvent(e: HfxError, now: number): JsonError {
  // As on the error line (cli.ts): a password in a URL never reaches the event stream.
  return { event: 'error', time: iso(now), code: e.code, message: maskCredentials(e.message), hint: e.hint === undefined ? null : maskCredentials(e.hint), exitCode: e.exitCode }
}
