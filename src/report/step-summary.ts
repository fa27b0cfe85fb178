// The markdown a pull appends to $GITHUB_STEP_SUMMARY: one table row per repo pulled (a lockfile's pull has
// several), the files that failed, and the error that ended the run. Pure. Repo ids, revisions, paths and
// error text come from the user or the server: each is shown as text, never as markdown or HTML.
import { escapeControls } from '../escape-controls.js'
import { formatBytes, formatDuration } from '../format.js'
import type { PullSummary } from '../pull/reporter.js'

/** Text as it reads, in a table cell or a list item: HTML as entities, markdown punctuation backslashed. */
export function markdownText(text: string): string {
  return escapeControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~"']/g, '\\$&')
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`
}

export function stepSummary(pulls: PullSummary[], error?: string): string {
  const out = ['### hfx pull', '']
  if (pulls.length) {
    out.push(row(['Repo', 'Revision', 'Commit', 'Files', 'Downloaded', 'Already present', 'Time', 'Result']))
    out.push(row(['---', '---', '---', '---:', '---:', '---:', '---:', '---']))
    for (const s of pulls) {
      const result = s.failed.length ? `${s.failed.length} failed` : s.downloadedBytes ? 'complete' : 'up to date'
      out.push(
        row([markdownText(s.repo), markdownText(s.revision), markdownText(s.commit.slice(0, 12)), String(s.files), formatBytes(s.downloadedBytes), formatBytes(s.reusedBytes), formatDuration(s.durationMs), result]),
      )
    }
    if (pulls.length > 1) {
      const sum = (pick: (s: PullSummary) => number) => pulls.reduce((n, s) => n + pick(s), 0)
      out.push(row([`**${pulls.length} repos**`, '', '', String(sum((s) => s.files)), formatBytes(sum((s) => s.downloadedBytes)), formatBytes(sum((s) => s.reusedBytes)), formatDuration(sum((s) => s.durationMs)), '']))
    }
    out.push('')
  }
  const failed = pulls.flatMap((s) => s.failed.map((f) => `- ${markdownText(s.repo)}: ${markdownText(f.path)}: ${markdownText(f.error)}`))
  if (failed.length) out.push('Failed files:', '', ...failed, '')
  if (error) out.push(`**Error:** ${markdownText(error)}`, '')
  return `${out.join('\n')}\n`
}
