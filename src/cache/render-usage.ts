// `hfx cache ls` as text: one table of repos, or one repo's revisions. Pure: takes the clock as a value.
import { formatBytes, formatCount } from '../format.js'
import { formatAgo } from './age.js'
import type { RepoUsage } from './usage.js'

type Cell = { text: string; right?: boolean }

/** Columns padded to their widest cell; the last column is not padded, so lines carry no trailing spaces. */
export function table(header: string[], rows: Cell[][], rightAligned: Set<number>): string[] {
  const all = [header.map((text, i) => ({ text, right: rightAligned.has(i) })), ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].text.length)))
  return all.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 && !c.right ? c.text : c.right ? c.text.padStart(widths[i]) : c.text.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  )
}

function refList(refs: string[], max = 3): string {
  if (refs.length === 0) return '-'
  return refs.length > max ? `${refs.slice(0, max).join(', ')}, +${refs.length - max}` : refs.join(', ')
}

/** `cacheDir`: where the repos were found, as the footer names it (both caches: "<hf> and <modelscope>"). */
export function renderRepoTable(repos: RepoUsage[], cacheDir: string, nowMs: number): string[] {
  if (repos.length === 0) return [`no repos in ${cacheDir}`]
  const rows = repos.map((r) => [
    { text: r.repo },
    { text: r.type },
    // A partial-only repo (an interrupted first pull) shows what its partials hold, not "0 B, 0 files".
    { text: formatBytes(r.partialOnly ? r.partialBytes : r.sizeOnDisk), right: true },
    { text: r.partialOnly ? 'partial' : formatCount(r.blobs), right: true },
    { text: formatCount(r.revisions.filter((v) => v.snapshot).length), right: true },
    { text: refList([...new Set(r.revisions.flatMap((v) => v.refs))]) },
    { text: r.partials ? formatBytes(r.partialBytes) : '-', right: true },
    { text: formatAgo(r.lastAccessedMs, nowMs) },
  ])
  const lines = table(['REPO', 'TYPE', 'SIZE', 'FILES', 'REVISIONS', 'REFS', 'PARTIAL', 'LAST USED'], rows, new Set([2, 3, 4, 6]))
  const size = repos.reduce((n, r) => n + r.sizeOnDisk, 0)
  const partial = repos.reduce((n, r) => n + r.partialBytes, 0)
  lines.push(`${repos.length} repo${repos.length === 1 ? '' : 's'}, ${formatBytes(size)} on disk${partial ? ` + ${formatBytes(partial)} of partial downloads` : ''} in ${cacheDir}`)
  const reclaim = repos.reduce((n, r) => n + r.unusedBlobBytes, 0)
  if (reclaim) lines.push(`${formatBytes(reclaim)} in blobs no snapshot uses: hfx cache prune reclaims them`)
  return lines
}

export function renderRepoDetail(r: RepoUsage, repoDir: string, nowMs: number): string[] {
  if (r.partialOnly) {
    return [`${r.repo}  ${r.type}  partial download: ${formatBytes(r.partialBytes)} in ${r.partials} file${r.partials === 1 ? '' : 's'}, last written ${formatAgo(r.lastModifiedMs, nowMs)}`, repoDir, 'nothing complete yet: run the same pull again to resume it']
  }
  const lines = [
    `${r.repo}  ${r.type}  ${formatBytes(r.sizeOnDisk)} on disk in ${formatCount(r.blobs)} blob${r.blobs === 1 ? '' : 's'}, last used ${formatAgo(r.lastAccessedMs, nowMs)}, last modified ${formatAgo(r.lastModifiedMs, nowMs)}`,
    repoDir,
  ]
  const rows = r.revisions.map((v) => [
    { text: v.commit },
    { text: refList(v.refs, 8) === '-' ? '(detached)' : refList(v.refs, 8) },
    { text: v.snapshot ? formatCount(v.files) : '-', right: true },
    { text: v.snapshot ? formatBytes(v.size) : 'no snapshot', right: true },
  ])
  lines.push(...table(['COMMIT', 'REFS', 'FILES', 'SIZE'], rows, new Set([2, 3])))
  if (r.partials) lines.push(`partial downloads: ${r.partials} (${formatBytes(r.partialBytes)})`)
  if (r.unusedBlobBytes) lines.push(`blobs no snapshot uses: ${formatBytes(r.unusedBlobBytes)} (hfx cache prune reclaims them)`)
  return lines
}
