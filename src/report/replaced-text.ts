// The lines that name the local changes a --local-dir pull replaced, the same on a terminal and in a CI log:
// a user who edited config.json must learn it was replaced, and where the edited version is now.
import path from 'node:path'
import type { PullSummary } from '../pull/reporter.js'

export function replacedLines(s: PullSummary): string[] {
  return s.replaced.map((r) => `replaced local changes: ${r.path} (your version is kept in ${path.relative(s.path, r.keptAt)})`)
}
