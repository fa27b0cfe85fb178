// Carries out a RepoDeletion. Every path is built from the cache root and names the scan read from
// directory listings, never from a symlink's target; folders go with fs.rm, which unlinks symlinks it meets
// instead of following them. So a link planted in a snapshot, pointing anywhere, loses only itself. The
// folders a deletion reaches into (the repo folder, blobs/, snapshots/, refs/, …) are checked to be real
// folders right before: a symlink put in their place since the scan is refused, never deleted through.
import { lstat, rm, rmdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { DiskWriteError, HfxError } from '../errors.js'
import { repoFolderName, repoCache } from './layout.js'
import type { RepoDeletion } from './deletion-plan.js'
import { MANIFESTS_SEGMENTS, manifestName, manifestsDir } from './hfx-names.js'

export interface ApplyOptions {
  /**
   * Prune only: a blob or snapshot folder whose mtime is now at or after this was touched since the scan —
   * a pull claimed it (pull/hold-reused.ts) — and is left in place.
   */
  keepTouchedSinceMs?: number
}

export async function applyDeletion(cacheDir: string, d: RepoDeletion, opts: ApplyOptions = {}): Promise<void> {
  const rc = repoCache(cacheDir, d)
  const folder = repoFolderName(d)
  if (d.whole) {
    // hfx's manifests live inside the repo folder. `.locks/<folder>` stays: a lock file deleted while another
    // process holds it lets a third lock a new inode, and two of them then fetch as "holders" at once.
    // A repo folder that became a symlink since the scan: rm unlinks the link, never what it points to.
    await rm(rc.repoDir, { recursive: true, force: true })
    return
  }
  const touched = async (p: string) => opts.keepTouchedSinceMs !== undefined && (await lstat(p).then((s) => s.mtimeMs >= opts.keepTouchedSinceMs!, () => false))
  // Refs first: a loader that reads refs/main while we work finds no ref rather than a half-deleted snapshot.
  for (const name of d.refs) {
    const parts = name.split('/')
    if (!(await realDirs(cacheDir, [folder, 'refs', ...parts.slice(0, -1)]))) continue
    const file = parts.reduce((dir, part) => inside(dir, part), rc.refsDir)
    await removeFile(file)
    await removeEmptyParents(path.dirname(file), rc.refsDir)
  }
  const kept = new Set<string>()
  if (d.revisions.length && (await realDirs(cacheDir, [folder, 'snapshots']))) {
    for (const r of d.revisions) {
      const dir = inside(rc.snapshotsDir, r.commit)
      if (await touched(dir)) kept.add(r.commit)
      else await rm(dir, { recursive: true, force: true })
    }
  }
  if (d.noExist.length && (await realDirs(cacheDir, [folder, '.no_exist']))) {
    for (const c of d.noExist) await rm(inside(rc.noExistDir, c), { recursive: true, force: true })
  }
  if (d.manifests.length && (await realDirs(cacheDir, [folder, ...MANIFESTS_SEGMENTS]))) {
    for (const c of d.manifests) if (!kept.has(c)) await removeFile(inside(manifestsDir(rc.repoDir), manifestName(c)))
  }
  if (d.blobs.length + d.partials.length && (await realDirs(cacheDir, [folder, 'blobs']))) {
    for (const b of d.blobs) {
      const blob = inside(rc.blobsDir, b)
      if (!(await touched(blob))) await removeFile(blob)
    }
    for (const p of d.partials) await removeFile(inside(rc.blobsDir, p))
  }
}

/**
 * Whether `root/<segments…>` exists as real folders all the way down (false: something is missing, so there
 * is nothing to delete). A symlink or a file on the way is refused: deleting through it would leave the cache.
 */
export async function realDirs(root: string, segments: string[]): Promise<boolean> {
  let dir = root
  for (const part of segments) {
    dir = inside(dir, part)
    const st = await lstat(dir).catch(() => undefined)
    if (!st) return false
    if (st.isSymbolicLink() || !st.isDirectory()) {
      throw new DiskWriteError(
        `${dir} is ${st.isSymbolicLink() ? 'a symlink' : 'not a folder'}; hfx does not delete through it.`,
        'Nothing hfx made is a link there: remove it by hand if it is not yours, then run the command again.',
      )
    }
  }
  return true
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
