// Refuses to start a pull that cannot fit: a full disk half-way through a 690 GB pull wastes hours.
import { statfs } from 'node:fs/promises'
import path from 'node:path'
import { DiskSpaceError } from '../errors.js'
import { formatBytes } from '../format.js'

/** Free bytes on the filesystem that holds `dir` (or would, once created). */
export async function freeBytes(dir: string): Promise<number> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const s = await statfs(d)
      return s.bavail * s.bsize
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || d === path.dirname(d)) throw err
    }
  }
}

/** The error a pull of `needed` more bytes into `dir` meets, or undefined when they fit. Pure. */
export function noRoomError(dir: string, needed: number, free: number): DiskSpaceError | undefined {
  if (needed <= free) return undefined
  return new DiskSpaceError(
    `not enough disk space in ${dir}: ${formatBytes(needed)} still to download, ${formatBytes(free)} free.`,
    'Free some space, pick fewer files (--include/--exclude), or choose another place with --cache-dir / --local-dir.',
  )
}
