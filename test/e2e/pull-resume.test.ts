// Killed, crashed or interrupted pulls resume: the next run fetches only what is missing, plus at most one
// chunk per connection that was in flight; and two pulls of one repo share the work instead of doubling it.
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { hfxPartials, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test, fixturesWith, RECEIVE_MODES } from '../helpers/test.js'
import { until } from '../helpers/until.js'

const MiB = 1024 * 1024


describe.for(RECEIVE_MODES)('resume, receiving %s', ([, env]) => {
  const test = fixturesWith({}, { env })

  test('SIGKILL in the middle of a large file: the re-run fetches only the missing part', async ({ hub, home, hfx }) => {
    const SIZE = 24 * MiB
    const CHUNK = 1 * MiB
    const CONNECTIONS = 4
    const repo = hub.addRepo('acme/big', { 'model.safetensors': bytes(21, SIZE) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const child = hfx.spawn(['pull', 'acme/big', '--chunk-size', '1M', '--connections', String(CONNECTIONS)])
    const done = collect(child)
    await until('more than 8 MiB served', () => hub.bytesServed('model.safetensors') > 8 * MiB)
    // A hard kill keeps only what the sidecar recorded (flushed every second): on a loaded machine the first
    // flush can come after 8 MiB, so the kill waits for it rather than racing it.
    const blobs = path.join(repoDir(home.cache, 'acme/big'), 'blobs')
    await until('progress recorded in a sidecar', async () => (await readdir(blobs).catch(() => [])).some((n) => n.endsWith('.partial.parts')))
    child.kill('SIGKILL')
    const first = await done
    expect(first.signal).toBe('SIGKILL')
    const servedBefore = hub.bytesServed('model.safetensors')
    expect(servedBefore).toBeLessThan(SIZE)

    hub.throttle({})
    hub.resetLog()
    const second = await hfx('pull', 'acme/big', '--chunk-size', '1M', '--connections', String(CONNECTIONS))
    expect(second.code, second.stderr).toBe(0)
    expect(second.stderr).toMatch(/resuming model\.safetensors at/)
    const servedAfter = hub.bytesServed('model.safetensors')
    // Only the missing part, plus at most one chunk per connection that was in flight when it died, and what
    // sat in each socket's buffers (served, never read: more of it when a loaded machine is slow to read).
    expect(servedBefore + servedAfter).toBeLessThanOrEqual(SIZE + CONNECTIONS * (CHUNK + 512 * 1024))
    expect(servedAfter).toBeLessThan(SIZE - 4 * MiB)
    const blob = path.join(repoDir(home.cache, 'acme/big'), 'snapshots', repo.head, 'model.safetensors')
    expect(await sha256File(blob)).toBe(repo.sha256('model.safetensors'))
  })

  test('SIGKILL inside 16 MiB chunks loses at most about a second of transfer per connection', async ({ hub, hfx }) => {
    // A hard kill gives no chance to save anything: only what was recorded while the chunks were in flight
    // survives. Slow connections (512 KiB/s each) make "a second" smaller than a MiB.
    const SIZE = 32 * MiB
    const CONNECTIONS = 2
    const repo = hub.addRepo('acme/kill16', { 'model.safetensors': bytes(31, SIZE) })
    hub.throttle({ perConnectionBytesPerSec: 512 * 1024 })
    const args = ['pull', 'acme/kill16', '--chunk-size', '16M', '--connections', String(CONNECTIONS)]
    const child = hfx.spawn(args)
    const done = collect(child)
    await until('more than 3 MiB served', () => hub.bytesServed('model.safetensors') > 3 * MiB)
    child.kill('SIGKILL')
    expect((await done).signal).toBe('SIGKILL')
    const servedBefore = hub.bytesServed('model.safetensors')

    hub.throttle({})
    hub.resetLog()
    const second = await hfx(...args)
    expect(second.code, second.stderr).toBe(0)
    const refetched = servedBefore + hub.bytesServed('model.safetensors') - SIZE
    // Neither 16 MiB chunk was finished: before in-flight progress was recorded, all of it came again.
    expect(refetched, `re-fetched ${refetched} of the ${servedBefore} bytes served before the kill`).toBeLessThanOrEqual(CONNECTIONS * MiB)
    expect(await sha256File(path.join(second.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('Ctrl-C keeps the bytes of chunks still in flight: the re-run fetches exactly what is missing', async ({ hub, home, hfx }) => {
    const SIZE = 32 * MiB
    const repo = hub.addRepo('acme/sigint', { 'model.safetensors': bytes(24, SIZE) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const args = ['pull', 'acme/sigint', '--chunk-size', '8M', '--connections', '4']
    const child = hfx.spawn(args)
    const done = collect(child)
    await until('more than 6 MiB served', () => hub.bytesServed('model.safetensors') > 6 * MiB)
    child.kill('SIGINT')
    expect((await done).code).toBe(130)
    const servedBefore = hub.bytesServed('model.safetensors')
    const [partial] = await hfxPartials(path.join(repoDir(home.cache, 'acme/sigint'), 'blobs'), repo.sha256('model.safetensors'))
    const sidecar = JSON.parse(await readFile(`${partial}.parts`, 'utf8')) as { done: { start: number; end: number }[] }
    const kept = sidecar.done.reduce((n, r) => n + r.end - r.start, 0)
    // No whole chunk was finished yet, so every kept byte came from a chunk cut short by Ctrl-C; only what
    // sat in socket buffers at that moment is lost.
    expect(kept).toBeGreaterThan(servedBefore - 4 * MiB)

    hub.throttle({})
    hub.resetLog()
    const again = await hfx(...args)
    expect(again.code, again.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(SIZE - kept)
    expect(await sha256File(path.join(again.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('a partial file left by huggingface_hub (.incomplete, no sidecar) is resumed, and verified', async ({ hub, home, hfx }) => {
    const SIZE = 3 * MiB
    const content = bytes(22, SIZE)
    const repo = hub.addRepo('acme/hfpartial', { 'model.safetensors': content })
    const blobs = path.join(repoDir(home.cache, 'acme/hfpartial'), 'blobs')
    await mkdir(blobs, { recursive: true })
    await writeFile(path.join(blobs, `${repo.sha256('model.safetensors')}.incomplete`), content.subarray(0, 2 * MiB))
    const run = await hfx('pull', 'acme/hfpartial')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(1 * MiB)
  })

  test('a partial longer than the file is cut to the verified size, never published with a tail', async ({ hub, home, hfx }) => {
    const content = bytes(25, 1 * MiB)
    const repo = hub.addRepo('acme/longpartial', { 'model.safetensors': content })
    const blobs = path.join(repoDir(home.cache, 'acme/longpartial'), 'blobs')
    await mkdir(blobs, { recursive: true })
    await writeFile(path.join(blobs, `${repo.sha256('model.safetensors')}.incomplete`), Buffer.concat([content, Buffer.from('trailing junk')]))
    const run = await hfx('pull', 'acme/longpartial')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(0)
    const file = path.join(run.stdout.trim(), 'model.safetensors')
    expect((await stat(file)).size).toBe(1 * MiB)
    expect(await sha256File(file)).toBe(repo.sha256('model.safetensors'))
  })

  test('a stale partial whose bytes are wrong is caught by the hash and fetched again', async ({ hub, home, hfx }) => {
    const SIZE = 3 * MiB
    const repo = hub.addRepo('acme/stalepartial', { 'model.safetensors': bytes(23, SIZE) })
    const blobs = path.join(repoDir(home.cache, 'acme/stalepartial'), 'blobs')
    await mkdir(blobs, { recursive: true })
    await writeFile(path.join(blobs, `${repo.sha256('model.safetensors')}.incomplete`), bytes(99, 2 * MiB))
    const run = await hfx('pull', 'acme/stalepartial')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(1 * MiB + SIZE)
    const blob = path.join(repoDir(home.cache, 'acme/stalepartial'), 'snapshots', repo.head, 'model.safetensors')
    expect(await sha256File(blob)).toBe(repo.sha256('model.safetensors'))
  })
})

describe('two processes, one cache', () => {
  test('two concurrent pulls both finish with correct files, and no blob is downloaded twice', async ({ hub, hfx }) => {
    const files = { 'a.safetensors': bytes(31, 6 * MiB), 'b.safetensors': bytes(32, 6 * MiB), 'config.json': '{}' }
    const repo = hub.addRepo('acme/shared', files)
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const args = ['pull', 'acme/shared', '--chunk-size', '1M', '--connections', '2']
    // The second starts once the first is downloading (it then holds both blobs' locks for ~3 s): started
    // together, a loaded machine could let one finish before the other began, and nothing would be shared.
    const first = collect(hfx.spawn(args))
    await until('the first pull downloading', () => hub.bytesServed('a.safetensors') + hub.bytesServed('b.safetensors') > 0)
    const [one, two] = await Promise.all([first, collect(hfx.spawn(args))])
    expect(one.code, one.stderr).toBe(0)
    expect(two.code, two.stderr).toBe(0)
    expect(one.stdout).toBe(two.stdout)
    for (const f of ['a.safetensors', 'b.safetensors']) {
      expect(hub.bytesServed(f)).toBe(6 * MiB)
      expect(await sha256File(path.join(one.stdout.trim(), f))).toBe(repo.sha256(f))
    }
    expect(one.stderr + two.stderr).toContain('waiting: another process is downloading')
  })

  test('a lock left by a dead process, or an empty one left by huggingface_hub, does not block', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/locked', { 'a.safetensors': bytes(33, 100_000), 'b.safetensors': bytes(34, 100_000) })
    const locks = path.join(home.cache, '.locks', 'models--acme--locked')
    await mkdir(locks, { recursive: true })
    await writeFile(path.join(locks, `${repo.sha256('a.safetensors')}.lock`), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'x' }))
    await writeFile(path.join(locks, `${repo.sha256('b.safetensors')}.lock`), '')
    const run = await hfx('pull', 'acme/locked')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toContain('waiting')
  })
})
