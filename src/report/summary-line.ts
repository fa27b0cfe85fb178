// The last line of a pull, the same on a terminal and in a CI log: "complete: …", "incomplete: …", or, when
// there was nothing to download, "up to date: 8 files, 1.99 MB" without a speed that would read "0 B/s".
import { formatBytes, formatDuration, formatRate, plural } from '../format.js'
import type { PullSummary } from '../pull/reporter.js'

/**
 * `withPath: false` on a terminal where stdout shows the snapshot path on the next line anyway: a long path
 * printed twice is noise.
 */
export function summaryLine(s: PullSummary, withPath = true): string {
  const into = withPath ? ` → ${s.path}` : ''
  if (s.downloadedBytes === 0 && s.failed.length === 0) {
    return `up to date: ${plural(s.files, 'file')}, ${formatBytes(s.reusedBytes)}, commit ${s.commit.slice(0, 12)}${into}`
  }
  const rate = s.downloadedBytes / Math.max(0.001, s.durationMs / 1000)
  const failed = s.failed.length ? ` (${s.failed.length} failed)` : ''
  return (
    `${s.failed.length ? 'incomplete' : 'complete'}: ${plural(s.files, 'file')}${failed}, ${formatBytes(s.downloadedBytes)} downloaded, ` +
    `${formatBytes(s.reusedBytes)} already present, ${formatRate(rate)}, ${formatDuration(s.durationMs)}, commit ${s.commit.slice(0, 12)}${into}`
  )
}
