// Carries out a RepoDeletion. Every path is built from the cache root and names the scan read from
// directory listings, never from a symlink's target; folders go with fs.rm, which unlinks symlinks it meets
// instead of following them. So a link planted in a snapshot, pointing anywhere, loses only itself.
import { lstat, rm, rmdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { HfxError } from '../errors.js'
import { refPath, repoCache } from './layout.js'
import type { RepoDeletion } from './deletion-plan.js'
import { manifestsDir } from './hfx-state.js'

export async function applyDeletion(cacheDir: string, d: RepoDeletion): Promise<void> {
  const rc = repoCache(cacheDir, d)
  if (d.whole) {
    // hfx's manifests live inside the repo folder. `.locks/<folder>` stays: a lock file deleted while another
    // process holds it lets a third lock a new inode, and two of them then fetch as "holders" at once.
    await rm(rc.repoDir, { recursive: true, force: true })
    return
  }
  // Refs first: a loader that reads refs/main while we work finds no ref rather than a half-deleted snapshot.
  for (const name of d.refs) {
    await removeFile(refPath(rc, name))
    await removeEmptyParents(path.dirname(refPath(rc, name)), rc.refsDir)
  }
  for (const r of d.revisions) await rm(inside(rc.snapshotsDir, r.commit), { recursive: true, force: true })
  for (const c of d.noExist) await rm(inside(rc.noExistDir, c), { recursive: true, force: true })
  for (const c of d.manifests) await removeFile(inside(manifestsDir(rc.repoDir), `${c}.json`))
  for (const b of d.blobs) await removeFile(inside(rc.blobsDir, b))
  for (const p of d.partials) await removeFile(inside(rc.blobsDir, p))
}

/** Names come from directory listings, so they are single entries; anything else is refused, not joined. */
function inside(dir: string, name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes(path.sep) || name.includes('\0')) {
    throw new HfxError(`refusing to delete ${JSON.stringify(name)} in ${dir}: not a single cache entry name.`)
  }
  return path.join(dir, name)
}

/** Unlinks a file or a symlink (never its target); a folder in its place is left alone. */
export async function removeFile(file: string): Promise<void> {
  const st = await lstat(file).catch(() => undefined)
  if (st && !st.isDirectory()) await unlink(file).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)))
}

/** refs/refs/pr/1 gone: drop refs/refs/pr and refs/refs if they are now empty, as git would. */
async function removeEmptyParents(dir: string, stop: string): Promise<void> {
  for (let d = dir; d.startsWith(stop + path.sep); d = path.dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false))) return
  }
}
