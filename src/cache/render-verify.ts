// `hfx cache verify`'s report as text. Pure.
import { formatHeader, plural } from '../format.js'
import type { Repair } from './repair-snapshot.js'
import type { Problem } from './snapshot-check.js'

export interface VerifyReport {
  repo: string
  type: string
  commit: string
  refs: string[]
  against: 'hub' | 'manifest' | 'blob names' | 'metadata'
  /** Set when a --local-dir was checked instead of a snapshot. */
  localDir?: string
  checked: number
  problems: Problem[]
  absent: string[]
  unchecked: string[]
  fixed?: string[]
  unlinked?: string[]
}

export function describeCounts(problems: Problem[]): string {
  const counts = new Map<string, number>()
  for (const p of problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1)
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ')
}

export function renderVerifyReport(r: VerifyReport, repair: Repair | undefined): string[] {
  const lines: string[] = []
  const out = (line: string) => lines.push(line)
  const against = { hub: "the Hub's listing", manifest: "hfx's manifest", 'blob names': 'their blob names', metadata: "the folder's download metadata" }[r.against]
  out(formatHeader(r.repo, r.refs.length ? r.refs.join(', ') : r.commit || '(no metadata)', r.commit || '(no metadata)'))
  out(`${plural(r.checked, 'file')} hashed against ${against}${r.localDir ? ` in ${r.localDir}` : ''}`)
  const width = Math.max(0, ...r.problems.map((p) => p.kind.length))
  for (const p of r.problems) out(`  ${p.kind.padEnd(width)}  ${p.path}: ${p.detail}`)
  if (r.unchecked.length) out(`${plural(r.unchecked.length, 'file')} ${r.unchecked.length === 1 ? 'has' : 'have'} nothing to check against offline: ${r.unchecked.slice(0, 5).join(', ')}${r.unchecked.length > 5 ? ', …' : ''}`)
  if (r.absent.length) out(`${plural(r.absent.length, 'file')} of the commit ${r.absent.length === 1 ? 'was' : 'were'} never downloaded into this ${r.localDir ? 'folder' : 'snapshot'} (--complete counts them as missing)`)
  if (repair) {
    if (repair.refetch.length) out(`fixed: fetched ${plural(repair.refetch.length, 'file')} again`)
    if (repair.unlinked.length) out(`fixed: removed ${plural(repair.unlinked.length, 'link')} the commit does not have`)
  } else if (r.problems.length === 0) out('ok: no problems')
  return lines
}
