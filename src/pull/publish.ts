// The only code that writes paths a model loader reads: verified blobs move into blobs/<etag>, snapshot
// symlinks appear atomically (temp link + rename), refs/<rev> is replaced atomically. Nothing here ever
// writes through a symlink that someone planted inside the snapshot or local folder.
import { randomBytes } from 'node:crypto'
import { lstat, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DiskWriteError } from '../errors.js'
import { noExistDir, refPath, snapshotDir, symlinkTarget, type RepoCache } from '../cache/layout.js'
import { safeJoin } from '../repo/safe-path.js'
import type { VerifiedFile } from './verify.js'

function tmpName(target: string): string {
  return `${target}.hfx-${randomBytes(4).toString('hex')}.tmp`
}

/** Folders this process created or checked: a pull of 2,000 small files should not lstat them 2,000 times. */
const checkedDirs = new Set<string>()

/** Creates the folders of `repoPath` under `root`, refusing any that is a symlink (it could lead outside). */
export async function makeParents(root: string, repoPath: string): Promise<string> {
  const target = safeJoin(root, repoPath)
  if (!checkedDirs.has(root)) {
    await mkdir(root, { recursive: true })
    checkedDirs.add(root)
  }
  let dir = root
  for (const part of repoPath.split('/').slice(0, -1)) {
    dir = path.join(dir, part)
    if (checkedDirs.has(dir)) continue
    const st = await lstat(dir).catch(() => undefined)
    if (!st) await mkdir(dir).catch((err) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)))
    else if (st.isSymbolicLink() || !st.isDirectory()) {
      throw new DiskWriteError(
        `${dir} is ${st.isSymbolicLink() ? 'a symlink' : 'not a folder'}; refusing to write ${repoPath} through it.`,
        'Remove it (hfx only writes inside the cache or --local-dir), then run the command again.',
      )
    }
    checkedDirs.add(dir)
  }
  return target
}

/** Atomically replaces `target` with `write(tmp)`'s result; refuses to replace a folder. */
async function replaceAtomically(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const st = await lstat(target).catch(() => undefined)
  if (st?.isDirectory()) throw new DiskWriteError(`${target} is a folder; refusing to replace it with a file.`)
  const tmp = tmpName(target)
  try {
    await write(tmp)
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/**
 * The path must still lead to the inode whose bytes were hashed, at the verified size. Partials are private
 * to their process, so this fails only when another process took the file over meanwhile (after this one
 * was stopped for STALE_MS, say with Ctrl-Z): its bytes are then not the ones we checked.
 */
async function checkVerified(v: VerifiedFile): Promise<void> {
  const st = await lstat(v.path).catch(() => undefined)
  if (st?.isFile() && st.dev === v.dev && st.ino === v.ino && st.size === v.size) return
  throw new DiskWriteError(
    `the partial file ${v.path} was replaced or changed by another process after its hash was checked; not publishing it.`,
    'Run the command again: it fetches what is still missing.',
  )
}

export async function publishBlob(verified: VerifiedFile, blob: string): Promise<void> {
  await checkVerified(verified)
  await rename(verified.path, blob)
}

export async function linkSnapshot(rc: RepoCache, commit: string, repoPath: string, etag: string): Promise<string> {
  const target = await makeParents(snapshotDir(rc, commit), repoPath)
  const link = symlinkTarget(repoPath, etag)
  // Creating a symlink is atomic by itself; the temp + rename dance is only needed to replace one.
  const created = await symlink(link, target).then(
    () => true,
    (err) => (err.code === 'EEXIST' ? false : Promise.reject(err)),
  )
  if (!created) await replaceAtomically(target, (tmp) => symlink(link, tmp))
  return target
}

/** Moves a verified file to its place in a --local-dir (replacing an older version). */
export async function publishLocalFile(verified: VerifiedFile, localDir: string, repoPath: string): Promise<string> {
  const target = await makeParents(localDir, repoPath)
  await checkVerified(verified)
  await replaceAtomically(target, (tmp) => rename(verified.path, tmp))
  return target
}

/** refs/<revision> holds the commit (no newline), as huggingface_hub writes it. */
export async function writeRef(rc: RepoCache, revision: string, commit: string): Promise<void> {
  // Only a full commit names itself. A short one gets refs/<short>, as huggingface_hub's
  // _cache_commit_hash_for_specific_revision writes it (revision != commit_hash): that ref is how an offline
  // run finds the snapshot of `org/name@abc1234` again.
  if (revision === commit) return
  const file = refPath(rc, revision)
  await mkdir(path.dirname(file), { recursive: true })
  await replaceAtomically(file, (tmp) => writeFile(tmp, commit))
}

/**
 * `.no_exist/<commit>/<path>`, empty, as huggingface_hub's hf_hub_download leaves it when the Hub says the commit
 * has no such file; transformers (try_to_load_from_cache) reads it to skip optional files without asking again.
 */
export async function writeNoExist(rc: RepoCache, commit: string, repoPath: string): Promise<void> {
  const marker = await makeParents(noExistDir(rc, commit), repoPath)
  await replaceAtomically(marker, (tmp) => writeFile(tmp, ''))
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await replaceAtomically(file, (tmp) => writeFile(tmp, content))
}
