// Before planning, one look at whether the pull can write where it will. Without it a read-only mount or
// another user's folder failed once per file (`ENOENT … mkdir`, "a bug"), or, on a small read-only mount,
// passed for "not enough disk space" (statfs cannot tell a full disk from one that refuses writes).
import { access, constants, stat } from 'node:fs/promises'
import path from 'node:path'
import { DiskWriteError } from '../errors.js'

/** Why a folder cannot be written, by system code; any other failure is left to the write itself. */
const REFUSALS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
}

/**
 * The folder itself or the nearest one above it that exists (the one a mkdir would write in), or the
 * refusal met on the way there (a folder above that this user may not even enter).
 */
async function nearestExisting(dir: string): Promise<{ at: string; refused?: string } | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const found = await stat(d).then(
      (st) => (st.isDirectory() ? { at: d } : undefined),
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'missing' : err.code && err.code in REFUSALS ? { at: d, refused: err.code } : undefined),
    )
    // Anything else (a file on the way, a loop): the write will say what is wrong.
    if (found !== 'missing') return found
    if (d === path.dirname(d)) return undefined
  }
}

/**
 * Throws a DiskWriteError naming the first of `dirs` that cannot be written or made, and why. access()
 * creates nothing (a refused pull leaves no trace) and tells EROFS from EACCES; it runs with the real user,
 * which is the user that writes. `choose` says how to pick another place (the flag and variables that set it).
 */
export async function checkWritable(dirs: string[], choose: string): Promise<void> {
  for (const dir of dirs) {
    const existing = await nearestExisting(dir)
    if (!existing) continue
    const refused =
      existing.refused ??
      (await access(existing.at, constants.W_OK | constants.X_OK).then(
        () => undefined,
        (err: NodeJS.ErrnoException) => (err.code && err.code in REFUSALS ? err.code : undefined),
      ))
    if (!refused) continue
    const where = existing.at === path.resolve(dir) ? dir : `${dir} (in ${existing.at})`
    const uid = process.getuid?.()
    throw new DiskWriteError(
      `cannot write to ${where}: ${REFUSALS[refused]} (${refused}).`,
      refused === 'EROFS'
        ? `${existing.at} is on a file system mounted read-only; choose a writable place with ${choose}.`
        : `Your user${uid === undefined ? '' : ` (uid ${uid})`} may not write there: ask its owner for write access (a shared cache needs group write), or choose another place with ${choose}.`,
    )
  }
}
