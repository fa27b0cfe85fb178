// Waiting for huggingface_hub's blob lock never lasts forever: hfx says that it waits and for whom, waits as
// long as the holder shows progress, and after HFX_LOCK_WAIT without any goes on without the lock (its
// correctness rests on private partials and verified publishing, not on the lock). A lock file that
// cannot be used — another user's, a folder, one with a time in the future — never blocks a pull
// (src/pull/blob-lock.ts).
import { execFileSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { chown, chmod, mkdir, open, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytes, sha256File } from '../helpers/files.js'
import { CLI, collect, describe, expect, hfxEnv, test, type Home, type RunResult } from '../helpers/test.js'
import type { Hub } from '../emulator/index.js'

const MiB = 1024 * 1024
const { flockSync } = createRequire(import.meta.url)('fs-ext') as { flockSync: (fd: number, how: string) => void }

function lockFile(home: Home, folder: string, etag: string): string {
  return path.join(home.cache, '.locks', folder, `${etag}.lock`)
}

/** Takes the lock as Python's filelock does (flock LOCK_EX | LOCK_NB) and keeps it until release(). */
async function holdLock(file: string, mode = 0o664): Promise<{ release(): Promise<void> }> {
  await mkdir(path.dirname(file), { recursive: true })
  const fh = await open(file, 'a', mode)
  flockSync(fh.fd, 'exnb')
  return {
    async release() {
      flockSync(fh.fd, 'un')
      await fh.close()
    },
  }
}

const NOBODY = 65534
const canDropPrivileges = (() => {
  try {
    return process.getuid?.() === 0 && execFileSync('sh', ['-c', 'command -v setpriv']).length > 0
  } catch {
    return false
  }
})()

/** Runs the CLI as `nobody` (setpriv), on a home `nobody` owns: what another user of a shared cache sees. */
function hfxAsNobody(hub: Hub, home: Home, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const child = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI, ...args], {
    env: hfxEnv(hub, home, env),
    cwd: home.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return collect(child)
}

describe('a lock someone holds', () => {
  test('a holder that never lets go and shows no progress: hfx says it waits, then downloads without the lock', { timeout: 20_000 }, async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/stuck', { 'model.bin': bytes(1, 2 * MiB) })
    const file = lockFile(home, 'models--acme--stuck', repo.sha256('model.bin'))
    const holder = await holdLock(file)
    try {
      const inode = (await stat(file)).ino
      const run = await hfx.with({ env: { HFX_LOCK_WAIT: '2', HF_HUB_DISABLE_PROGRESS_BARS: '1' } })('pull', 'acme/stuck')
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toContain(`waiting: another process is downloading model.bin (it holds ${file}; hfx goes on without it after 2.0s without progress)`)
      expect(run.stderr).toContain(`warning: the process holding ${file} showed no progress for 2.0s; downloading model.bin without the lock`)
      expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
      expect((await stat(file)).ino).toBe(inode) // never replaced or deleted, even when given up on
    } finally {
      await holder.release()
    }
  })

  test('--json: the wait is an event naming the lock, and giving up is one too', { timeout: 20_000 }, async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/stuck-json', { 'model.bin': bytes(2, 256 * 1024) })
    const file = lockFile(home, 'models--acme--stuck-json', repo.sha256('model.bin'))
    const holder = await holdLock(file)
    try {
      const run = await hfx.with({ env: { HFX_LOCK_WAIT: '1' } })('pull', 'acme/stuck-json', '--json')
      expect(run.code, run.stderr).toBe(0)
      const waits = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.event === 'waiting')
      expect(waits[0]).toMatchObject({ path: 'model.bin', lock: file, patienceMs: 1000, gaveUp: false })
      expect(waits.at(-1)).toMatchObject({ path: 'model.bin', lock: file, gaveUp: true })
    } finally {
      await holder.release()
    }
  })

  test('a holder that is downloading is waited for past HFX_LOCK_WAIT: the blob crosses the network once', async ({ hub, hfx }) => {
    const SIZE = 4 * MiB
    const repo = hub.addRepo('acme/busy', { 'model.bin': bytes(3, SIZE) })
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const args = ['pull', 'acme/busy', '--chunk-size', '1M', '--connections', '1']
    const first = hfx.spawn(args)
    const firstDone = collect(first)
    while (hub.bytesServed('model.bin') === 0) await new Promise((r) => setTimeout(r, 20))
    // Its partial file grows all the time: that is the progress the waiting pull looks at.
    const second = await hfx.with({ env: { HFX_LOCK_WAIT: '2', HF_HUB_DISABLE_PROGRESS_BARS: '1' } })(...args)
    const one = await firstDone
    expect(one.code, one.stderr).toBe(0)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).toContain('waiting: another process is downloading model.bin')
    expect(second.stderr).not.toContain('without the lock')
    expect(hub.bytesServed('model.bin')).toBe(SIZE)
    expect(await sha256File(path.join(second.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
  })
})

describe('a lock file that cannot be used never blocks a pull', () => {
  test('a folder at the lock path', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/lockdir', { 'model.bin': bytes(4, 256 * 1024) })
    await mkdir(lockFile(home, 'models--acme--lockdir', repo.sha256('model.bin')), { recursive: true })
    const run = await hfx('pull', 'acme/lockdir')
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
  })

  test('a lock file whose time is in the future (clock skew on a shared mount)', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/future', { 'model.bin': bytes(5, 256 * 1024) })
    const file = lockFile(home, 'models--acme--future', repo.sha256('model.bin'))
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, '')
    const future = new Date(Date.now() + 365 * 86_400_000)
    await utimes(file, future, future)
    const run = await hfx('pull', 'acme/future')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toContain('waiting')
    expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
  })

  describe.runIf(canDropPrivileges)('another user\'s lock file (hfx runs as nobody; needs root and setpriv)', () => {
    async function sharedCache(home: Home, hub: Hub, id: string) {
      const repo = hub.addRepo(id, { 'model.bin': bytes(6, 256 * 1024) })
      const file = lockFile(home, `models--${id.replace('/', '--')}`, repo.sha256('model.bin'))
      await mkdir(path.dirname(file), { recursive: true })
      execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, home.dir])
      return { repo, file }
    }

    test('unreadable (mode 000, another owner): the pull goes on without it', async ({ hub, home }) => {
      const { repo, file } = await sharedCache(home, hub, 'acme/unreadable')
      await writeFile(file, '')
      await chown(file, 0, 0)
      await chmod(file, 0o000)
      const run = await hfxAsNobody(hub, home, ['pull', 'acme/unreadable'])
      expect(run.code, run.stderr).toBe(0)
      expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
    })

    test('readable but not writable (umask 022) and held: hfx waits for its holder, read-only, then goes on', { timeout: 20_000 }, async ({ hub, home }) => {
      const { repo, file } = await sharedCache(home, hub, 'acme/readonly')
      const holder = await holdLock(file, 0o644)
      try {
        const run = await hfxAsNobody(hub, home, ['pull', 'acme/readonly'], { HFX_LOCK_WAIT: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1' })
        expect(run.code, run.stderr).toBe(0)
        expect(run.stderr).toContain('waiting: another process is downloading model.bin')
        expect(await sha256File(path.join(run.stdout.trim(), 'model.bin'))).toBe(repo.sha256('model.bin'))
      } finally {
        await holder.release()
      }
    })
  })
})
