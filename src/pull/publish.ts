// The only code that writes paths a model loader reads: verified blobs move into blobs/<etag>, snapshot
// symlinks appear atomically (temp link + rename), refs/<rev> is replaced atomically. Nothing here ever
// writes through a symlink that someone planted inside the cache or the local folder: folders are made
// one by one and refused when one is a symlink (makeParents), files are written under a fresh temporary
// name created with O_EXCL and renamed into place (a rename replaces a planted link, never follows it).
import { randomBytes } from 'node:crypto'
import { lstat, mkdir, rename, rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { writeTmpName } from '../cache/hfx-names.js'
import { DiskWriteError } from '../errors.js'
import { copyExclusive, NotRegularFileError, writeExclusive } from '../no-follow.js'
import { safeJoin } from '../repo/safe-path.js'

/**
 * A partial file whose bytes matched their hash, named by its inode as well as its path: publish.ts moves
 * it only while the path still leads to that inode, so bytes that were never hashed can't be published.
 */
export interface VerifiedFile {
  path: string
  dev: number
  ino: number
  size: number
}

function tmpName(target: string): string {
  return writeTmpName(target, randomBytes(4).toString('hex'))
}

/** Folders this process created or checked: a pull of 2,000 small files should not lstat them 2,000 times. */
const checkedDirs = new Set<string>()

/**
 * Creates `root/<segments…>` folder by folder, refusing any that is a symlink or not a folder: it could
 * lead outside `root`. `root` itself is the user's choice (the cache or --local-dir) and may be a link.
 */
export async function ensureDirs(root: string, segments: string[], what = 'anything'): Promise<string> {
  if (!checkedDirs.has(root)) {
    await mkdir(root, { recursive: true })
    checkedDirs.add(root)
  }
  let dir = root
  for (const part of segments) {
    if (part === '' || part === '.' || part === '..' || part.includes('/') || part.includes(path.sep)) {
      throw new DiskWriteError(`refusing to make the folder ${JSON.stringify(part)} in ${dir}: not a single folder name.`)
    }
    dir = path.join(dir, part)
    if (checkedDirs.has(dir)) continue
    const st = await lstat(dir).catch(() => undefined)
    if (!st) await mkdir(dir).catch((err) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)))
    const made = st ?? (await lstat(dir))
    if (made.isSymbolicLink() || !made.isDirectory()) {
      throw new DiskWriteError(
        `${dir} is ${made.isSymbolicLink() ? 'a symlink' : 'not a folder'}; refusing to write ${what} through it.`,
        'Remove it (hfx only writes inside the cache or --local-dir, and follows no link it did not make), then run the command again.',
      )
    }
    checkedDirs.add(dir)
  }
  return dir
}

/**
 * Creates the folders of `repoPath` under `root/<under…>` (hfx's own folder names, such as a repo folder
 * and `snapshots/<commit>`), refusing any that is a symlink. Returns the file's path.
 */
export async function makeParents(root: string, repoPath: string, under: string[] = []): Promise<string> {
  const target = safeJoin(path.join(root, ...under), repoPath)
  await ensureDirs(root, [...under, ...repoPath.split('/').slice(0, -1)], repoPath)
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

function isVerified(st: { isFile(): boolean; dev: number; ino: number; size: number } | undefined, v: VerifiedFile): boolean {
  return Boolean(st?.isFile() && st.dev === v.dev && st.ino === v.ino && st.size === v.size)
}

function replacedError(v: VerifiedFile): DiskWriteError {
  return new DiskWriteError(
    `the partial file ${v.path} was replaced or changed by another process after its hash was checked; not publishing it.`,
    'Run the command again: it fetches what is still missing.',
  )
}

/**
 * Moves the verified file to `dest` — that inode, whose bytes were hashed, and no other. Partials are private
 * to their process, so the path leads elsewhere only when another process took the file over meanwhile
 * (after this one was stopped for STALE_MS, say with Ctrl-Z) or swapped it on purpose. The file is first
 * renamed to a fresh temporary name and checked there, so a swap between the check and the move is caught
 * too (what was moved is put back), and a name nobody can predict is all that ever reaches `dest`.
 */
export async function moveVerified(v: VerifiedFile, dest: string): Promise<void> {
  if (!isVerified(await lstat(v.path).catch(() => undefined), v)) throw replacedError(v)
  await replaceAtomically(dest, async (tmp) => {
    await rename(v.path, tmp)
    if (!isVerified(await lstat(tmp).catch(() => undefined), v)) {
      await rename(tmp, v.path).catch(() => {}) // someone else's file: back where it was, not published
      throw replacedError(v)
    }
  })
}

/** Makes `target` a symlink to `link`, replacing a link or file there (never a folder). */
export async function linkAt(target: string, link: string): Promise<void> {
  // Creating a symlink is atomic by itself; the temp + rename dance is only needed to replace one.
  const created = await symlink(link, target).then(
    () => true,
    (err) => (err.code === 'EEXIST' ? false : Promise.reject(err)),
  )
  if (!created) await replaceAtomically(target, (tmp) => symlink(link, tmp))
}

/** Replaces `file` with `content` (its folder must exist: see makeParents). */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await replaceAtomically(file, (tmp) => writeExclusive(tmp, content))
}

/** Replaces `target` with a copy of the regular file `from` (a second path with the same content). */
export async function copyIntoPlace(from: string, target: string): Promise<void> {
  await replaceAtomically(target, (tmp) => copyExclusive(from, tmp)).catch((err) => {
    if (!(err instanceof NotRegularFileError)) throw err
    throw new DiskWriteError(`${from} became a symlink or not a regular file; hfx does not copy through it.`, 'Run the command again: it fetches what is missing.', { cause: err })
  })
}
