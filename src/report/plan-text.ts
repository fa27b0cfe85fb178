// --dry-run on stdout: one line per file, then the totals. This is the command's result (as the snapshot
// path is for a real pull), which is why it goes to stdout while progress goes to stderr.
import { formatBytes } from '../format.js'
import { planView } from './plan-view.js'
import type { PlanEvent } from '../pull/reporter.js'

export function planText(e: PlanEvent): string[] {
  const files = planView(e.plan)
  const sizeWidth = Math.max(4, ...files.map((f) => formatBytes(f.size).length))
  const lines = [`${e.repo}@${e.revision} → ${e.commit} (dry run: nothing downloaded)`]
  for (const f of files) {
    const note =
      f.status === 'partial'
        ? `  (${formatBytes(f.partialBytes)} on disk, ${formatBytes(f.downloadBytes)} to go)`
        : f.status === 'duplicate'
          ? '  (same content as another file, downloaded once)'
          : ''
    lines.push(`  ${f.status.padEnd(10)} ${formatBytes(f.size).padStart(sizeWidth)}  ${f.path}${note}`)
  }
  const fetching = files.filter((f) => f.action === 'fetch').length
  const free = e.freeBytes === undefined ? '' : `, ${formatBytes(e.freeBytes)} free`
  lines.push(
    `${files.length} files, ${formatBytes(e.plan.totalBytes)}: ${fetching} to download (${formatBytes(e.plan.downloadBytes)}), ` +
      `${formatBytes(e.plan.cachedBytes)} already on disk${free}`,
  )
  // Exact, unlike the rounded sizes above: a script can compare it with what the pull then transfers.
  lines.push(`bytes to download: ${e.plan.downloadBytes}`)
  lines.push(`into: ${e.root}`)
  if (e.fits === false) lines.push(`will not fit: ${formatBytes(e.plan.downloadBytes)} to download, ${formatBytes(e.freeBytes ?? 0)} free`)
  return lines
}
