// How far a pull has got, counted once from the reporter events, so the terminal bars, the CI lines and
// --json show the same numbers. Pure: no clock (speed is each printer's business, over the window it wants).
import type { Plan, PlannedFile } from '../pull/plan.js'

export interface InFlightFile {
  file: PlannedFile
  /** Bytes of this file on disk: what the resume kept plus what arrived since. */
  bytesDone: number
}

export interface TallySnapshot {
  /** Every selected file; `cached` of them need no download (already complete, or only to be linked). */
  files: { total: number; cached: number; toFetch: number; done: number; failed: number }
  bytes: {
    total: number
    /** Complete on disk before the pull started (reused). */
    cached: number
    /** Full size of the files to fetch. */
    toFetch: number
    /** What the plan expects to transfer: `toFetch` less the partials kept for resuming. */
    toDownload: number
    /** Transferred in this run. */
    downloaded: number
    /** Of the files to fetch, on disk now: resumed partials, transferred bytes, finished files. */
    fetchedOnDisk: number
  }
  /** Files started and not yet done or failed, in the order they started. */
  inFlight: InFlightFile[]
}

export class PullTally {
  private totalFiles = 0
  private totalBytes = 0
  private cachedFiles = 0
  private cachedBytes = 0
  private fetchFiles = 0
  private fetchBytes = 0
  private downloadBytes = 0
  private filesDone = 0
  private filesFailed = 0
  private downloaded = 0
  private onDisk = 0
  private readonly perFile = new Map<string, number>()
  private readonly inFlight = new Map<string, PlannedFile>()

  planned(plan: Plan): void {
    const fetch = plan.files.filter((f) => f.action === 'fetch')
    this.totalFiles = plan.files.length
    this.totalBytes = plan.totalBytes
    this.cachedFiles = plan.files.length - fetch.length
    this.cachedBytes = plan.cachedBytes
    this.fetchFiles = fetch.length
    this.fetchBytes = fetch.reduce((n, f) => n + f.size, 0)
    this.downloadBytes = plan.downloadBytes
    for (const f of fetch) this.setOnDisk(f.path, f.partial)
  }

  /** The engine found `resumedBytes` of a partial to keep: the file's count starts over from there. */
  fileStarted(f: PlannedFile, resumedBytes: number): void {
    this.setOnDisk(f.path, resumedBytes)
    this.inFlight.set(f.path, f)
  }

  progress(f: PlannedFile, bytes: number): void {
    this.downloaded += bytes
    this.setOnDisk(f.path, (this.perFile.get(f.path) ?? 0) + bytes)
  }

  fileDone(f: PlannedFile): void {
    this.setOnDisk(f.path, f.size)
    this.inFlight.delete(f.path)
    this.filesDone++
  }

  fileFailed(f: PlannedFile): void {
    this.inFlight.delete(f.path)
    this.filesFailed++
  }

  /** Bytes of one file on disk, as `InFlightFile.bytesDone` (0 for a file the plan does not fetch). */
  bytesOf(path: string): number {
    return this.perFile.get(path) ?? 0
  }

  snapshot(): TallySnapshot {
    return {
      files: { total: this.totalFiles, cached: this.cachedFiles, toFetch: this.fetchFiles, done: this.filesDone, failed: this.filesFailed },
      bytes: {
        total: this.totalBytes,
        cached: this.cachedBytes,
        toFetch: this.fetchBytes,
        toDownload: this.downloadBytes,
        downloaded: this.downloaded,
        fetchedOnDisk: this.onDisk,
      },
      inFlight: [...this.inFlight.values()].map((file) => ({ file, bytesDone: this.bytesOf(file.path) })),
    }
  }

  /** Keeps the running sum with the per-file counts, so a redraw does not add up every file again. */
  private setOnDisk(path: string, bytes: number): void {
    this.onDisk += bytes - (this.perFile.get(path) ?? 0)
    this.perFile.set(path, bytes)
  }
}
