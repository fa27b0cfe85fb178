// --dry-run on stdout: one line per file, then the totals. This is the command's result (as the snapshot
// path is for a real pull), which is why it goes to stdout while progress goes to stderr. The header and
// the totals line are the ones a real pull prints on stderr, so the two read alike.
import { formatBytes, formatCount, formatHeader, plural } from '../format.js'
import { planView } from './plan-view.js'
import type { PlanEvent } from '../pull/reporter.js'

/**
 * "3 files, 4.20 MB: 2 to download (3.15 MB), 7 B already present, 81.8 GB free". "Already present" is the
 * one name for bytes a pull need not transfer, whether they sit in the cache or in --local-dir.
 */
export function planFigures(e: PlanEvent): string {
  const fetching = e.plan.files.filter((f) => f.action === 'fetch').length
  const free = e.freeBytes === undefined ? '' : `, ${formatBytes(e.freeBytes)} free`
  return (
    `${plural(e.plan.files.length, 'file')}, ${formatBytes(e.plan.totalBytes)}: ${formatCount(fetching)} to download (${formatBytes(e.plan.downloadBytes)}), ` +
    `${formatBytes(e.plan.cachedBytes)} already present${free}`
  )
}

export function planText(e: PlanEvent): string[] {
  const files = planView(e.plan)
  const sizeWidth = Math.max(4, ...files.map((f) => formatBytes(f.size).length))
  const lines = [formatHeader(e.repo, e.revision, e.commit, 'dry run: nothing downloaded')]
  if (e.variant) lines.push(e.variant.reason)
  for (const f of files) {
    const note =
      f.status === 'partial'
        ? `  (${formatBytes(f.partialBytes)} kept from an earlier run, ${formatBytes(f.downloadBytes)} to go)`
        : f.status === 'duplicate'
          ? '  (same content as another file, downloaded once)'
          : ''
    lines.push(`  ${f.status.padEnd(10)} ${formatBytes(f.size).padStart(sizeWidth)}  ${f.path}${note}`)
  }
  lines.push(planFigures(e))
  // Exact, unlike the rounded sizes above: a script can compare it with what the pull then transfers.
  lines.push(`bytes to download: ${e.plan.downloadBytes}`)
  lines.push(`into: ${e.root}`)
  if (e.fits === false) lines.push(`will not fit: ${formatBytes(e.plan.downloadBytes)} to download, ${formatBytes(e.freeBytes ?? 0)} free`)
  return lines
}
