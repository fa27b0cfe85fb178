// Reading and writing the lockfile on disk. Writes go through a temporary file and a rename, so a lock is
// never left half-written (a CI job reading it, or Ctrl-C mid-write, sees the old lock or the new one).
import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { LockfileError } from '../errors.js'
import type { Lockfile } from './lockfile.js'
import { parseLock } from './parse.js'
import { serializeLock } from './serialize.js'

// A lock of thousands of files is a few MB; past this the file is not a lock, and reading it whole would only
// spend memory.
const MAX_LOCK_BYTES = 64 * 1024 * 1024

/** The lock at `file`, or undefined when there is none yet. `name` is how messages name it. */
export async function readLock(file: string, name: string): Promise<Lockfile | undefined> {
  let size: number
  try {
    size = (await stat(file)).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  if (size > MAX_LOCK_BYTES) throw new LockfileError(`${name} is ${size} bytes, more than a lockfile can be (${MAX_LOCK_BYTES}).`, 'Check that --file names a lockfile written by hfx lock.')
  return parseLock(await readFile(file, 'utf8'), name)
}

export async function writeLock(file: string, lock: Lockfile): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, serializeLock(lock), { flag: 'wx' })
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
}
