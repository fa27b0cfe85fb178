// How `hfx pull` reads on a narrow terminal, in a CI log, and in its words (issue 15, points 9–13): names
// cut so shards stay apart, figures kept on 60 columns, a clean redraw on resize, small files counted
// instead of listed, ETA and elapsed time, "up to date", one header and one vocabulary everywhere.
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { underPty } from '../helpers/pty.js'
import { renderScreen } from '../helpers/screen.js'
import { describe, expect, hfxEnv, test } from '../helpers/test.js'
import { startModelScope } from '../emulator-modelscope/index.js'

const MiB = 1024 * 1024
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g

/** Each redraw of the bars as the lines it leaves (cli-progress starts every redraw by moving the cursor up). */
function frames(raw: string): string[][] {
  return raw.split(/\x1b\[\d+A/).map((chunk) => renderScreen(chunk))
}

const visible = (line: string) => [...line.replace(ANSI, '')].length
const isBarFrame = (f: string[]) => f.some((l) => /[█░]/.test(l) || /% .*\/s/.test(l))

const SHARDS = Object.fromEntries([1, 2, 3, 4].map((i) => [`model-0000${i}-of-00004.safetensors`, bytes(60 + i, 3 * MiB)]))

describe('a 60-column terminal', () => {
  test('shard names are cut in the middle and stay apart, speed and ETA stay, and a resize redraws at the new width', async ({ hub, home }) => {
    hub.addRepo('acme/narrow', SHARDS)
    // About 3 s per shard: long enough to measure a speed and to resize mid-pull.
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    let resizedAt = 0
    const run = await underPty(['pull', 'acme/narrow', '--connections', '1', '--chunk-size', '1M', '--max-files', '4'], hfxEnv(hub, home, { TERM: 'xterm-256color' }), {
      cols: 60,
      // Once speed and ETA show at 60 columns, drag the window to 44.
      resize: { when: () => hub.bytesServed() > 7 * MiB && ((resizedAt = Date.now()), true), cols: 44 },
    })
    expect(run.code, run.raw).toBe(0)
    expect(resizedAt).toBeGreaterThan(0)
    const all = frames(run.raw).filter(isBarFrame)
    // The bar lines (the header and figures above them are printed once and may wrap like any text).
    const lines = all.flat().filter((l) => /[█░]|%/.test(l))
    // Every shard shows its own number before the cut: "model-00003…", never four alike "…of-00004.safetensors".
    for (const i of [1, 2, 3, 4]) expect(lines.some((l) => l.includes(`model-0000${i}…`)), `shard ${i}`).toBe(true)
    expect(lines.some((l) => l.startsWith('  …'))).toBe(false)
    // At 60 columns the overall line keeps speed and ETA (the bar shrank instead), and nothing is wider than 59.
    expect(lines.some((l) => /% .* · [\d.]+ [kM]B\/s · ETA \d/.test(l) && visible(l) <= 59)).toBe(true)
    expect(Math.max(...lines.map(visible))).toBeLessThanOrEqual(59)
    // After the resize, frames are drawn for 44 columns: some frame with bars has every line within 43.
    const narrow = all.filter((f) => f.every((l) => visible(l) <= 43) && f.some((l) => /model-0000\d.*%/.test(l)))
    expect(narrow.length).toBeGreaterThan(0)
    // Nothing of the bars is left behind: the screen ends with the counts and the summary, no bar debris.
    const screen = renderScreen(run.raw)
    expect(screen.some((l) => /[█░]/.test(l))).toBe(false)
    // The summary is broken after a comma to the new width, not cut or wrapped mid-word.
    const summary = screen.findIndex((l) => l.startsWith('complete: 4 files, '))
    expect(screen.slice(summary, -1).join(' ')).toMatch(/^complete: 4 files, 12\.6 MB downloaded, 0 B already present, .* commit [0-9a-f]{12}$/)
    expect(Math.max(...screen.slice(summary, -1).map(visible))).toBeLessThanOrEqual(43)
  })
})

describe('many small files', () => {
  test('are counted on one line instead of a ✓ line each; large files keep theirs; finished bars go', async ({ hub, home }) => {
    const files: Record<string, string | Buffer> = { 'weights.safetensors': bytes(70, 11 * MiB) }
    for (let i = 0; i < 400; i++) files[`data/part-${String(i).padStart(4, '0')}.json`] = `{"i":${i}}`
    hub.addRepo('acme/many', files)
    const run = await underPty(['pull', 'acme/many', '--max-files', '16'], hfxEnv(hub, home, { TERM: 'xterm-256color' }))
    expect(run.code, run.raw).toBe(0)
    // The whole output, scrollback included (the screen model keeps every line written).
    const screen = renderScreen(run.raw)
    expect(screen.filter((l) => l.startsWith('✓ '))).toEqual([
      expect.stringMatching(/^✓ weights\.safetensors 11\.5 MB sha256:[0-9a-f]{12}$/),
      expect.stringMatching(/^✓ 400 small files \(under 10\.0 MB each\), /),
    ])
    expect(screen.length).toBeLessThan(12)
    expect(screen.some((l) => /[█░]|100%/.test(l))).toBe(false)
  })
})

describe('ETA and elapsed time', () => {
  test('the CI progress line has an ETA and the time elapsed', async ({ hub, hfx }) => {
    hub.addRepo('acme/ci', { 'model.safetensors': bytes(80, 8 * MiB) })
    // About 4 s: past the first progress line (3 s in).
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const run = await hfx('pull', 'acme/ci', '--connections', '2', '--chunk-size', '1M')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/^progress [\d.]+ MB \/ 8\.39 MB \([\d.]+%\), 0\/1 file, [\d.]+ [kM]B\/s, ETA [\dms. ]+, [\d.]+s elapsed$/m)
  })

  test('on a terminal the overall line shows the time elapsed, and no ETA while a rate limit is counted down', async ({ hub, home }) => {
    hub.addRepo('acme/ttyeta', { 'model.safetensors': bytes(81, 6 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    // The chunk at 3 MiB gets a 429 with Retry-After: 2: a wait in the middle of a measured transfer.
    hub.inject({ filePath: 'model.safetensors', kind: 'status', status: 429, rangeStart: 3 * MiB, headers: { 'Retry-After': '2' } })
    const run = await underPty(['pull', 'acme/ttyeta', '--connections', '1', '--chunk-size', '1M'], hfxEnv(hub, home, { TERM: 'xterm-256color' }))
    expect(run.code, run.raw).toBe(0)
    const all = frames(run.raw).filter(isBarFrame)
    expect(all.flat().some((l) => /· ETA [\d.]+s · [\d.]+s elapsed/.test(l))).toBe(true)
    const waiting = all.filter((f) => f.some((l) => l.includes('rate limited by the Hub, retrying in')))
    expect(waiting.length).toBeGreaterThan(0)
    for (const f of waiting) {
      expect(f.join('\n')).not.toContain('ETA')
      expect(f.join('\n')).toMatch(/[\d.]+s elapsed/)
    }
  })
})

describe('nothing to do', () => {
  test('says "up to date" with the files and bytes, once, and the path once: no 0 B/s', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/done', { 'config.json': '{"a":1}', 'model.safetensors': bytes(90, 2 * MiB) })
    expect((await hfx('pull', 'acme/done')).code).toBe(0)
    const snapshot = path.join(repoDir(home.cache, 'acme/done'), 'snapshots', repo.head)

    const run = await underPty(['pull', 'acme/done'], hfxEnv(hub, home, { TERM: 'xterm-256color' }), { cols: 60 })
    expect(run.code, run.raw).toBe(0)
    const screen = renderScreen(run.raw)
    expect(screen).toEqual([`acme/done  main → ${repo.head}`, `up to date: 2 files, 2.10 MB, commit ${repo.head.slice(0, 12)}`, snapshot])
    expect(run.raw).not.toContain('B/s')

    const plain = await hfx('pull', 'acme/done')
    expect(plain.stderr).toBe(`acme/done  main → ${repo.head}\nup to date: 2 files, 2.10 MB, commit ${repo.head.slice(0, 12)} → ${snapshot}\n`)
  })
})

describe('one header, one vocabulary, plurals', () => {
  test('ls, pull (plain and terminal), --dry-run and cache verify open with the same header; "1 file"; "already present"', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/one', { 'config.json': '{}' })
    const header = `acme/one  main → ${repo.head}`

    const ls = await hfx('ls', 'acme/one')
    expect(ls.stdout.split('\n')[0]).toBe(header)
    const dry = await hfx('pull', 'acme/one', '--dry-run')
    expect(dry.stdout.split('\n')[0]).toBe(`${header} (dry run: nothing downloaded)`)
    expect(dry.stdout).toMatch(/^1 file, 2 B: 1 to download \(2 B\), 0 B already present, .* free$/m)
    const pull = await hfx('pull', 'acme/one')
    expect(pull.stderr.split('\n').slice(0, 2)).toEqual([header, expect.stringMatching(/^1 file, 2 B: 1 to download \(2 B\), 0 B already present, .* free$/)])
    expect(pull.stderr).toMatch(/^complete: 1 file, 2 B downloaded, 0 B already present, /m)
    const verify = await hfx('cache', 'verify', 'acme/one')
    expect(verify.stdout.split('\n').slice(0, 2)).toEqual([header, expect.stringMatching(/^1 file hashed against /)])
    const tty = await underPty(['pull', 'acme/one', '--cache-dir', path.join(home.dir, 'tty')], hfxEnv(hub, home, { TERM: 'xterm-256color' }))
    expect(renderScreen(tty.raw).slice(0, 2)).toEqual([header, expect.stringMatching(/^1 file, 2 B: 1 to download \(2 B\), 0 B already present, .* free$/)])

    const everything = [ls.stdout, dry.stdout, pull.stderr, verify.stdout, renderScreen(tty.raw).join('\n')].join('\n')
    expect(everything).not.toMatch(/\b1 files\b|\(s\)|already in cache|already on disk|in place/)
  })

  test('ModelScope output names the repo as ms://org/name, as it is typed', async ({ hfx }) => {
    const ms = await startModelScope()
    try {
      ms.addRepo('acme/tiny', { 'config.json': '{}' })
      const run = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('pull', 'ms://acme/tiny')
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toMatch(/^ms:\/\/acme\/tiny {2}master → [0-9a-f]+$/m)
      const ls = await hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })('ls', 'ms://acme/tiny')
      expect(ls.stdout).toMatch(/^ms:\/\/acme\/tiny {2}master → /)
    } finally {
      await ms.close()
    }
  })
})
