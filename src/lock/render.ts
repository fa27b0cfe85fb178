// The text `hfx lock` prints for a lock it reads without resolving anything: one line per repo.
import { formatBytes } from '../format.js'
import { repoLabel, type Lockfile } from './lockfile.js'

export function lockSummary(lock: Lockfile): string[] {
  return lock.repos.map((r) => {
    const bytes = r.files.reduce((n, f) => n + f.size, 0)
    const selection = [...r.include.map((p) => `--include ${p}`), ...r.exclude.map((p) => `--exclude ${p}`)].join(' ')
    return `${repoLabel(r)}  ${r.commit}  ${r.files.length} ${r.files.length === 1 ? 'file' : 'files'}, ${formatBytes(bytes)}${selection ? `  ${selection}` : ''}`
  })
}
