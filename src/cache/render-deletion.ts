// What `hfx cache rm` and `hfx cache prune` will do (or did), one line per repo or revision. Pure.
import { parsePartialName } from './hfx-names.js'
import { formatBytes, formatDuration, plural } from '../format.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { PRUNE_GRACE_MS, type RepoDeletion } from './deletion-plan.js'


function partialCount(d: RepoDeletion): number {
  return new Set(d.partials.map((p) => parsePartialName(p)?.base ?? p)).size
}

export function renderDeletion(d: RepoDeletion): string[] {
  const name = formatRepoRef({ type: d.type, id: d.id })
  if (d.whole) {
    const parts = [plural(d.revisions.length, 'revision'), plural(d.blobs.length, 'blob')]
    if (partialCount(d)) parts.push(plural(partialCount(d), 'partial download'))
    return [`${name}: the whole repo (${parts.join(', ')}), ${formatBytes(d.freedBytes)}`]
  }
  const lines = d.revisions.map(
    (r) => `${name}@${r.commit}${r.refs.length ? ` (${r.refs.join(', ')})` : ' (detached)'}: snapshot of ${plural(r.files, 'file')}`,
  )
  const extras: string[] = []
  if (d.blobs.length) extras.push(`${plural(d.blobs.length, 'blob')} no kept snapshot uses`)
  const partials = partialCount(d)
  if (partials) extras.push(plural(partials, 'abandoned partial download'))
  const markers = d.noExist.filter((c) => !d.revisions.some((r) => r.commit === c)).length
  if (markers) extras.push(`.no_exist markers of ${plural(markers, 'commit')}`)
  if (extras.length) lines.push(`${name}: ${extras.join(', ')}`)
  if (d.deferred.snapshots + d.deferred.blobs) {
    lines.push(`${name}: kept ${[d.deferred.snapshots && plural(d.deferred.snapshots, 'detached snapshot'), d.deferred.blobs && plural(d.deferred.blobs, 'unused blob')].filter(Boolean).join(' and ')} younger than ${formatDuration(PRUNE_GRACE_MS)} (a pull may still be linking them)`)
  }
  return lines
}

export function renderTotal(plans: RepoDeletion[], done: boolean): string {
  const freed = plans.reduce((n, d) => n + d.freedBytes, 0)
  return done ? `freed ${formatBytes(freed)}` : `would free ${formatBytes(freed)}`
}
