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

/** The folder itself, or the nearest one above it that exists (the one a mkdir would write in). */
async function nearestExisting(dir: string): Promise<string | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = await stat(d).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : null))
    if (st) return st.isDirectory() ? d : undefined
    // Not ENOENT (a file on the way, a loop): the write will say what is wrong.
    if (st === null || d === path.dirname(d)) return undefined
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
    const refused = await access(existing, constants.W_OK | constants.X_OK).then(
      () => undefined,
      (err: NodeJS.ErrnoException) => (err.code && err.code in REFUSALS ? err.code : undefined),
    )
    if (!refused) continue
    const where = existing === path.resolve(dir) ? `${dir}` : `${dir} (in ${existing})`
    const uid = process.getuid?.()
    throw new DiskWriteError(
      `cannot write to ${where}: ${REFUSALS[refused]} (${refused}).`,
      refused === 'EROFS'
        ? `${existing} is on a file system mounted read-only; choose a writable place with ${choose}.`
        : `Your user${uid === undefined ? '' : ` (uid ${uid})`} may not write there: ask its owner for write access (a shared cache needs group write), or choose another place with ${choose}.`,
    )
  }
}
