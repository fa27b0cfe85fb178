// The plan as printers show it: per file, whether it is cached, partly on disk or to be downloaded, and how
// many bytes a pull will transfer for it. --dry-run text and the JSON `plan` event both read this, so the
// numbers a dry run promises are the ones the engine planned (Plan.downloadBytes), not a second estimate.
import type { Plan, PlannedFile } from '../pull/plan.js'

/**
 * cached: the content is on disk (a snapshot link may still be written); partial: a resume keeps
 * `partialBytes`; download: fetched from byte 0; duplicate: same content as another file in this pull,
 * fetched once and linked.
 */
export type FileStatus = 'cached' | 'partial' | 'download' | 'duplicate'

export interface FileView {
  path: string
  size: number
  action: PlannedFile['action']
  status: FileStatus
  partialBytes: number
  /** Bytes this file adds to the download (0 unless fetched). */
  downloadBytes: number
}

export function planView(plan: Plan): FileView[] {
  const fetched = new Set(plan.files.filter((f) => f.action === 'fetch').map((f) => f.etag))
  return plan.files.map((f) => {
    const status: FileStatus =
      f.action === 'fetch' ? (f.partial > 0 ? 'partial' : 'download') : f.action === 'link' && fetched.has(f.etag) ? 'duplicate' : 'cached'
    return {
      path: f.path,
      size: f.size,
      action: f.action,
      status,
      partialBytes: f.action === 'fetch' ? f.partial : 0,
      downloadBytes: f.action === 'fetch' ? f.size - f.partial : 0,
    }
  })
}
