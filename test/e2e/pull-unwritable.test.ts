// A cache or --local-dir that cannot be written (a read-only mount, a folder of another user): checked
// once before planning, one error naming the folder and the real cause, exit 7, nothing downloaded.
import { execFileSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EXIT } from '../../src/errors.js'
import { bytes } from '../helpers/files.js'
import { describe, expect, test, type RunResult } from '../helpers/test.js'

const MiB = 1024 * 1024
const NOBODY = 65534
const root = process.getuid?.() === 0

/** A small tmpfs mounted read-only: small, so that it also has too little room for the pull. */
async function readOnlyDisk(): Promise<{ dir: string; release(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-ro-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir])
  return {
    dir,
    async release() {
      execFileSync('umount', ['-l', dir])
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** One error line naming `folder` and `cause`, a hint that fits, exit 7. */
function expectCannotWrite(run: RunResult, folder: string, cause: RegExp): void {
  expect(run.code, run.stderr).toBe(EXIT.disk)
  const lines = run.stderr.trimEnd().split('\n')
  expect(lines.filter((l) => l.startsWith('error: ')), run.stderr).toHaveLength(1)
  expect(lines[0]).toContain(folder)
  expect(lines[0]).toMatch(cause)
  // Before: `ENOENT … mkdir` once per file then "a bug" (exit 1), "not enough disk space" on a small
  // read-only mount, or "Free some space … partial files are kept" for a permission error.
  expect(run.stderr).not.toMatch(/ENOENT|bug|not enough disk space|Free some space|partial/i)
  expect(run.stdout).toBe('')
}

describe.runIf(root)('a target that cannot be written (needs root: a read-only mount, another user)', () => {
  test('a read-only mount as the cache, and as --local-dir', async ({ hub, hfx }) => {
    hub.addRepo('acme/ro', { 'config.json': '{}', 'model.safetensors': bytes(41, 3 * MiB), 'sub/b.bin': bytes(42, 100_000) })
    const disk = await readOnlyDisk()
    try {
      const cache = path.join(disk.dir, 'hub')
      expectCannotWrite(await hfx('pull', 'acme/ro', '--cache-dir', cache), cache, /read-only file system/)
      const local = path.join(disk.dir, 'out')
      expectCannotWrite(await hfx('pull', 'acme/ro', '--local-dir', local), local, /read-only file system/)
      expect(hub.bytesServed()).toBe(0)
    } finally {
      await disk.release()
    }
  })

  test('a folder this user may not write in, as the cache and as --local-dir', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/perm', { 'config.json': '{}', 'model.safetensors': bytes(43, 3 * MiB), 'sub/b.bin': bytes(44, 100_000) })
    // Root's folders, readable by everyone, writable by root alone.
    await chmod(home.dir, 0o755)
    const asNobody = hfx.with({ uid: NOBODY, gid: NOBODY })
    expectCannotWrite(await asNobody('pull', 'acme/perm'), home.cache, /permission denied/)
    await mkdir(home.cache, { mode: 0o755 })
    expectCannotWrite(await asNobody('pull', 'acme/perm'), home.cache, /permission denied/)
    const local = path.join(home.dir, 'out')
    expectCannotWrite(await asNobody('pull', 'acme/perm', '--local-dir', local), local, /permission denied/)
    // A folder above that this user may not even enter: refused there too, not taken for a missing one.
    await chmod(home.dir, 0o700)
    const hidden = path.join(home.dir, 'deeper', 'hub')
    expectCannotWrite(await asNobody('pull', 'acme/perm', '--cache-dir', hidden), hidden, /permission denied/)
    expect(hub.bytesServed()).toBe(0)
  })
})
