// Two locks -> the lines a reviewer or a scheduled "models outdated" job reads: which repos appeared or went,
// which revision moved from which commit to which, and which files were added, removed or changed. Empty when
// the two locks lock the same thing (their layout aside).
import { formatBytes } from '../format.js'
import { compareFiles, compareRepos, fileHash, repoLabel, sameRepo, type LockedFile, type LockedRepo, type Lockfile } from './lockfile.js'

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function fileChange(a: LockedFile, b: LockedFile): string | undefined {
  const parts: string[] = []
  if (a.size !== b.size) parts.push(`size ${a.size} → ${b.size}`)
  const ha = fileHash(a)
  const hb = fileHash(b)
  if (ha.algorithm !== hb.algorithm) parts.push(`${ha.algorithm} ${ha.value} → ${hb.algorithm} ${hb.value}`)
  else if (ha.value !== hb.value) parts.push(`${ha.algorithm} ${ha.value} → ${hb.value}`)
  return parts.length ? parts.join(', ') : undefined
}

function fileLines(before: LockedFile[], after: LockedFile[]): string[] {
  const old = new Map(before.map((f) => [f.path, f]))
  const now = new Map(after.map((f) => [f.path, f]))
  const lines: string[] = []
  for (const path of [...new Set([...old.keys(), ...now.keys()])].sort((x, y) => compareFiles({ path: x }, { path: y }))) {
    const a = old.get(path)
    const b = now.get(path)
    if (!a) lines.push(`    + ${path} (${formatBytes(b!.size)})`)
    else if (!b) lines.push(`    - ${path}`)
    else {
      const change = fileChange(a, b)
      if (change) lines.push(`    ~ ${path}: ${change}`)
    }
  }
  return lines
}

function repoLines(a: LockedRepo, b: LockedRepo): string[] {
  const head: string[] = []
  if (a.revision !== b.revision) head.push(`revision ${a.revision} → ${b.revision}`)
  if (a.commit !== b.commit) head.push(`${b.revision} moved from ${a.commit} to ${b.commit}`)
  if (a.include.join('\0') !== b.include.join('\0') || a.exclude.join('\0') !== b.exclude.join('\0')) head.push('selection changed')
  const files = fileLines(a.files, b.files)
  if (head.length === 0 && files.length === 0) return []
  return [`~ ${repoLabel({ ...b, revision: undefined })}: ${head.length ? head.join('; ') : 'files changed'}`, ...files]
}

export function diffLocks(before: Lockfile, after: Lockfile): string[] {
  const lines: string[] = []
  const all = [...before.repos, ...after.repos.filter((r) => !before.repos.some((o) => sameRepo(o, r)))].sort(compareRepos)
  for (const key of all) {
    const a = before.repos.find((r) => sameRepo(r, key))
    const b = after.repos.find((r) => sameRepo(r, key))
    if (!a) lines.push(`+ ${repoLabel(b!)} at ${b!.commit} (${count(b!.files.length, 'file')})`)
    else if (!b) lines.push(`- ${repoLabel(a)}`)
    else lines.push(...repoLines(a, b))
  }
  return lines
}
