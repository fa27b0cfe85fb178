// The last line of a pull, the same on a terminal and in a CI log.
import { formatBytes, formatDuration, formatRate } from '../format.js'
import type { PullSummary } from '../pull/reporter.js'

export function summaryLine(s: PullSummary): string {
  const rate = s.downloadedBytes / Math.max(0.001, s.durationMs / 1000)
  const failed = s.failed.length ? ` (${s.failed.length} failed)` : ''
  return (
    `${s.failed.length ? 'incomplete' : 'complete'}: ${s.files} files${failed}, ${formatBytes(s.downloadedBytes)} downloaded, ` +
    `${formatBytes(s.reusedBytes)} reused, ${formatRate(rate)}, ${formatDuration(s.durationMs)}, commit ${s.commit.slice(0, 12)} → ${s.path}`
  )
}
