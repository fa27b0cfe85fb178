// Reading folders in a cache or a local folder without following links: a linked folder could lead anywhere.
import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'

/** lstat, not stat: a symlink in place of a folder is not a folder here, neither to read nor to write. */
export function isRealDir(dir: string): Promise<boolean> {
  return lstat(dir).then((s) => s.isDirectory(), () => false)
}

/**
 * Every path below `root` that is not a folder (files and links), `/`-separated and sorted; folders are entered
 * only when they are real folders (a Dirent of a link is never a directory).
 */
export async function walk(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])
  const out: string[] = []
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = dir ? `${dir}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await walk(root, rel)))
    else out.push(rel)
  }
  return out
}
