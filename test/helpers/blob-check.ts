// What a loader would find wrong in one repo of a cache: a blob whose bytes do not hash to its name, a snapshot
// entry that is not a link to a blob, or a snapshot file whose content is not the emulator's file at that commit.
// Returns readable problems (empty when all is well), so a failing test says which file and why.
import { lstat, readFile, readdir, readlink } from 'node:fs/promises'
import path from 'node:path'
import type { EmuRepo } from '../emulator/index.js'
import { repoDir } from './cache.js'
import { gitSha1, sha256File } from './files.js'

const ETAG = /^([0-9a-f]{40}|[0-9a-f]{64})$/

async function hashAs(file: string, name: string): Promise<string> {
  // Blobs are named by sha256 (LFS files) or by git blob sha1 (small files, read whole).
  return name.length === 64 ? sha256File(file) : gitSha1(await readFile(file))
}

async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => [])) {
    const p = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await walk(dir, p)))
    else out.push(p)
  }
  return out
}

export async function cacheProblems(cache: string, repo: EmuRepo): Promise<string[]> {
  const dir = repoDir(cache, repo.id, repo.type)
  const problems: string[] = []
  for (const name of await readdir(path.join(dir, 'blobs')).catch(() => [] as string[])) {
    if (!ETAG.test(name)) continue // partial downloads and other tools' temp files are not published blobs
    const found = await hashAs(path.join(dir, 'blobs', name), name)
    if (found !== name) problems.push(`blobs/${name}: its bytes hash to ${found}`)
  }
  for (const commit of await readdir(path.join(dir, 'snapshots')).catch(() => [] as string[])) {
    for (const rel of await walk(path.join(dir, 'snapshots', commit))) {
      const entry = path.join(dir, 'snapshots', commit, rel)
      const where = `snapshots/${commit.slice(0, 8)}…/${rel}`
      if (!(await lstat(entry)).isSymbolicLink()) {
        problems.push(`${where}: not a symlink`)
        continue
      }
      const target = path.resolve(path.dirname(entry), await readlink(entry))
      if (path.dirname(target) !== path.join(dir, 'blobs')) problems.push(`${where}: points outside blobs/ (${target})`)
      let expected: string
      try {
        expected = repo.sha256(rel, commit)
      } catch {
        problems.push(`${where}: no such file at that commit on the hub`)
        continue
      }
      const found = await sha256File(entry).catch((err: NodeJS.ErrnoException) => `unreadable (${err.code})`)
      if (found !== expected) problems.push(`${where}: content ${found}, expected ${expected}`)
    }
  }
  return problems
}
