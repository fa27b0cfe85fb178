// A reader that stops listening (`hfx ls big/repo | head`, `hfx pull --json | head -2`): hfx stops quietly
// with exit 141, as a Unix tool killed by SIGPIPE does, and a pull keeps its partials for the next run.
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { bytes, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test, type RunResult } from '../helpers/test.js'

const MiB = 1024 * 1024

/** The reader end of the child's stdout closes once `enough` says so (after the first bytes, or at once). */
function closeStdoutWhen(child: ChildProcess, enough: (seen: string) => boolean): Promise<RunResult> {
  let seen = ''
  let stderr = ''
  const stdout = child.stdout!
  const check = () => {
    if (enough(seen)) stdout.destroy()
  }
  stdout.setEncoding('utf8').on('data', (d: string) => {
    seen += d
    check()
  })
  check()
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout: seen, stderr }))
  })
}

function expectQuietStop(run: RunResult): void {
  expect(run.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at |error:/)
  expect(run.code, run.stderr).toBe(141)
}

/** Enough files that the listing is far bigger than a pipe's buffer. */
function manyFiles(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`shard/part-${String(i).padStart(5, '0')}-of-a-long-file-name.json`, '{}']))
}

describe('a closed stdout', () => {
  test.for([
    { args: ['ls', 'acme/many'] },
    { args: ['ls', 'acme/many', '--flat'] },
    { args: ['ls', 'acme/many', '--json'] },
  ])('hfx $args | head: stops quietly, exit 141', async ({ args }, { hub, hfx }) => {
    hub.addRepo('acme/many', manyFiles(3000))
    expectQuietStop(await closeStdoutWhen(hfx.spawn(args), (seen) => seen.length > 0))
  })

  test('hfx --help | head -1: the reader gone before the help is written, exit 141', async ({ hfx }) => {
    expectQuietStop(await closeStdoutWhen(hfx.spawn(['--help']), () => true))
  })

  test('hfx pull --json | head -2: the pull stops as if interrupted, keeps its partial, and the next run resumes', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/piped', { 'model.safetensors': bytes(31, 8 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: MiB })
    const child = hfx.spawn(['pull', 'acme/piped', '--json', '--chunk-size', '1M', '--connections', '2'])
    // Closed once the first progress event shows bytes on disk: the next event finds no reader.
    expectQuietStop(await closeStdoutWhen(child, (seen) => seen.includes('"event":"progress"')))
    const first = hub.bytesServed('model.safetensors')
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(8 * MiB)

    hub.throttle({})
    const again = collect(hfx.spawn(['pull', 'acme/piped', '--quiet']))
    const run = await again
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(path.join(run.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    // Resumed: what the first run kept was not fetched again.
    expect(hub.bytesServed('model.safetensors') - first).toBeLessThan(8 * MiB)
  })

  test('hfx pull 2>&1 | head: a closed stderr stops the pull the same way', async ({ hub, hfx }) => {
    hub.addRepo('acme/piped-err', { 'model.safetensors': bytes(32, 8 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: MiB })
    const child = hfx.spawn(['pull', 'acme/piped-err', '--chunk-size', '1M', '--connections', '2'])
    // Gone before the first line: progress lines come seconds apart, a later close might meet none.
    child.stderr!.destroy()
    const run = await collect(child)
    expect(run.code).toBe(141)
    expect(hub.bytesServed('model.safetensors')).toBeLessThan(8 * MiB)
  })
})
