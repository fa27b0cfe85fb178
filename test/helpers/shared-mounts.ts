// A folder shared by several test "hosts" as a cluster filesystem shares it: each node gets its own mount
// of the same folder (bindfs, a FUSE filesystem from Debian's packages). As on NFS without a lock manager or
// Lustre with `localflock`, flock(2) then excludes only within one mount: two nodes both "get" the lock on
// the same file. Needs root, /dev/fuse and bindfs; `sharedMountSupport()` says why not where one is missing.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const BINDFS = ['/usr/bin/bindfs', '/bin/bindfs'].find((b) => existsSync(b))

export function sharedMountSupport(): string | undefined {
  if (!BINDFS) return 'needs bindfs (.ci/run installs it from Debian packages)'
  if (!existsSync('/dev/fuse')) return 'needs /dev/fuse'
  if (process.getuid?.() !== 0) return 'needs root to mount'
  return undefined
}

export interface SharedMounts {
  /** One mount point per node, each showing `shared`. */
  mounts: string[]
  unmount(): Promise<void>
}

export async function mountShared(shared: string, under: string, n: number): Promise<SharedMounts> {
  const mounts: string[] = []
  const unmount = async () => {
    for (const m of mounts.reverse()) {
      await run('fusermount', ['-u', m]).catch(() => run('umount', ['-l', m]).catch(() => undefined))
    }
  }
  try {
    await mkdir(shared, { recursive: true })
    for (let i = 1; i <= n; i++) {
      const m = path.join(under, `node${i}`)
      await mkdir(m, { recursive: true })
      await run(BINDFS!, [shared, m])
      mounts.push(m)
    }
  } catch (err) {
    await unmount()
    throw err
  }
  return { mounts, unmount }
}
