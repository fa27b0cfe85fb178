// Hashes the files of a snapshot as planChecks asked, a few at a time, reporting each one as it ends.
// Blobs are read from blobs/ by name and plain files opened with O_NOFOLLOW: a check never reads through a
// symlink, so a planted link cannot make verify read /dev/zero or a file outside the cache.
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import { mapLimit } from '../map-limit.js'
import { newHash } from '../content-hash.js'
import { safeJoin } from '../repo/safe-path.js'
import { judge, type Check, type Problem } from './snapshot-check.js'

const READ_SIZE = 4 * 1024 * 1024
/** Hashing is CPU-bound per file; a few files at once keep a fast disk busy without thrashing a slow one. */
const PARALLEL_FILES = 4

export interface VerifyEvents {
  bytes(n: number): void
  checked(c: Check, problem: Problem | undefined): void
}

/** `root`: the snapshot folder (or a --local-dir) plain files are read from; `blobsDir`: where links lead. */
export async function runChecks(dirs: { root: string; blobsDir: string }, checks: Check[], events: VerifyEvents): Promise<Problem[]> {
  const problems: Problem[] = []
  await mapLimit(checks, PARALLEL_FILES, async (c) => {
    const file = c.file.kind === 'blob' ? path.join(dirs.blobsDir, c.file.blob) : safeJoin(dirs.root, c.path)
    const found = await hashFile(file, c.expected.algorithm, events.bytes).catch((err: NodeJS.ErrnoException) => {
      // Vanished or replaced by a link since the scan: report it, do not stop the other checks.
      if (err.code === 'ENOENT' || err.code === 'ELOOP') return err.code
      throw err
    })
    const problem: Problem | undefined =
      typeof found === 'string'
        ? { path: c.path, kind: found === 'ENOENT' ? 'dangling' : 'foreign', detail: found === 'ENOENT' ? 'vanished while verifying' : 'became a symlink while verifying' }
        : judge(c, found)
    if (problem) problems.push(problem)
    events.checked(c, problem)
  })
  return problems
}

/** A regular file's hash and size as read (opened with O_NOFOLLOW: a link is an ELOOP error). */
export async function hashFile(file: string, algorithm: Check['expected']['algorithm'], onBytes: (n: number) => void): Promise<{ hex: string; size: number }> {
  const fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    const st = await fh.stat()
    if (!st.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'ELOOP' })
    // git's blob id hashes a "blob <size>\0" header first, so the size must be known before the bytes.
    const hash = newHash({ algorithm, hex: '', size: st.size })
    const buf = Buffer.allocUnsafe(Math.max(1, Math.min(READ_SIZE, st.size)))
    let size = 0
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, size)
      if (bytesRead === 0) break
      hash.update(buf.subarray(0, bytesRead))
      size += bytesRead
      onBytes(bytesRead)
    }
    // A file that grew or shrank while read: the size read is what the hash covers.
    return { hex: hash.digest('hex'), size }
  } finally {
    await fh.close()
  }
}
