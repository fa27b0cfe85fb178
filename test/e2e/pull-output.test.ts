// What `hfx pull` prints: plain lines for logs, JSON events for scripts (checked against the schema in
// the README), dry-run numbers that match the real pull, Ctrl-C / SIGTERM, and bars on a real
// pseudo-terminal.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { hfxPartials, repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { underPty } from '../helpers/pty.js'
import { renderScreen } from '../helpers/screen.js'
import { collect, describe, expect, hfxEnv, test } from '../helpers/test.js'
import { until } from '../helpers/until.js'

const MiB = 1024 * 1024
const ESC = '\x1b'


// ---- the documented schema, read from the doc itself so the two cannot drift apart ----

type FieldType = string | string[] | [Record<string, FieldType>]
type Schema = Record<string, Record<string, FieldType>>

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md')

async function documentedSchema(): Promise<Schema> {
  const m = /```json schema\n([\s\S]*?)```/.exec(await readFile(DOC, 'utf8'))
  if (!m) throw new Error('README.md has no ```json schema block')
  return JSON.parse(m[1]) as Schema
}

/** Problems with one value against one field type; empty when it fits. */
function check(value: unknown, type: FieldType, where: string): string[] {
  if (Array.isArray(type) && typeof type[0] === 'object') {
    if (!Array.isArray(value)) return [`${where}: expected an array`]
    return value.flatMap((v, i) => checkObject(v, type[0] as Record<string, FieldType>, `${where}[${i}]`))
  }
  if (Array.isArray(type)) return (type as string[]).includes(value as string) ? [] : [`${where}: ${JSON.stringify(value)} is not one of ${type.join(', ')}`]
  const ok = (type as string).split('|').some((t) =>
    t === 'null' ? value === null : t === 'integer' ? Number.isInteger(value) : typeof value === t,
  )
  return ok ? [] : [`${where}: ${JSON.stringify(value)} is not ${type}`]
}

function checkObject(obj: unknown, shape: Record<string, FieldType>, where: string): string[] {
  if (typeof obj !== 'object' || obj === null) return [`${where}: not an object`]
  const o = obj as Record<string, unknown>
  const missing = Object.keys(shape).filter((k) => !(k in o)).map((k) => `${where}.${k}: missing`)
  const extra = Object.keys(o).filter((k) => !(k in shape)).map((k) => `${where}.${k}: not documented`)
  return [...missing, ...extra, ...Object.keys(shape).filter((k) => k in o).flatMap((k) => check(o[k], shape[k], `${where}.${k}`))]
}

type Event = Record<string, unknown> & { event: string; time: string }

async function parseEvents(stdout: string): Promise<Event[]> {
  const schema = await documentedSchema()
  const lines = stdout.split('\n').filter((l) => l !== '')
  const events = lines.map((l) => JSON.parse(l) as Event)
  for (const [i, e] of events.entries()) {
    const { event, time, ...rest } = e
    expect(Object.keys(schema), `event #${i}`).toContain(event)
    expect(new Date(time).toISOString(), `event #${i} time`).toBe(time)
    expect(checkObject(rest, schema[event], event)).toEqual([])
  }
  return events
}

const of = <T extends Event = Event>(events: Event[], name: string) => events.filter((e) => e.event === name) as T[]

// ---- plain output ----

describe('not a terminal', () => {
  test('plain lines: no escape codes, a line per finished file, a summary with commit and path', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/plain', { 'config.json': '{}', 'a.safetensors': bytes(1, 300_000), 'b.safetensors': bytes(2, 200_000) })
    const run = await hfx.with({ env: { NO_COLOR: undefined, FORCE_COLOR: undefined } })('pull', 'acme/plain')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toContain(ESC)
    expect(run.stderr).not.toContain('\r')
    const snapshot = run.stdout.trim()
    expect(run.stdout).toBe(`${snapshot}\n`)
    for (const f of ['config.json', 'a.safetensors', 'b.safetensors']) expect(run.stderr).toMatch(new RegExp(`^done ${f.replace('.', '\\.')} `, 'm'))
    const last = run.stderr.trimEnd().split('\n').at(-1)
    expect(last).toMatch(/^complete: 3 files, 500 kB downloaded, 0 B already present, .+\/s, [\d.]+s, commit [0-9a-f]{12} → /)
    expect(last).toContain(repo.head.slice(0, 12))
    expect(last!.endsWith(snapshot)).toBe(true)
  })
})

// ---- --json ----

describe('--json', () => {
  test('events follow the documented schema: plan, file_start, progress, file_done with the hash, done', async ({ hub, home, hfx }) => {
    const files = { 'config.json': '{"x":1}', 'model.safetensors': bytes(3, 3 * MiB) }
    const repo = hub.addRepo('acme/json', files)
    // About 1.5 s of transfer: enough for a throttled progress event or two.
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const run = await hfx('pull', 'acme/json', '--json', '--chunk-size', '1M', '--connections', '2')
    expect(run.code, run.stderr).toBe(0)
    const events = await parseEvents(run.stdout)
    expect(events[0].event).toBe('plan')
    expect(events.at(-1)!.event).toBe('done')

    const plan = events[0]
    expect(plan).toMatchObject({ repo: 'acme/json', commit: repo.head, dryRun: false, totalFiles: 2, downloadFiles: 2, downloadBytes: 3 * MiB + 7 })

    const done = of(events, 'file_done')
    expect(done.map((e) => e.path).sort()).toEqual(['config.json', 'model.safetensors'])
    expect(done.find((e) => e.path === 'model.safetensors')).toMatchObject({ algorithm: 'sha256', hash: repo.sha256('model.safetensors'), bytesDownloaded: 3 * MiB })
    expect(done.find((e) => e.path === 'config.json')).toMatchObject({ algorithm: 'git-sha1', hash: repo.gitSha1('config.json') })
    expect(of(events, 'file_start').map((e) => e.path).sort()).toEqual(['config.json', 'model.safetensors'])

    // Throttled for the whole pull (json.ts): each progress event comes at least a second after the plan or the
    // progress event before it, whatever the file. Times are the reporter's own clock, to the millisecond.
    const progress = of(events, 'progress')
    const last = events.at(-1)!
    expect(progress.length).toBeGreaterThan(0)
    const times = [plan, ...progress].map((e) => Date.parse(e.time))
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], `progress #${i}`).toBeGreaterThanOrEqual(1000)

    expect(last).toMatchObject({ commit: repo.head, files: 2, bytesDownloaded: 3 * MiB + 7, bytesReused: 0, failed: [] })
    expect(run.stdout).not.toContain(ESC)
    // The snapshot path is in the done event, not as a bare line that would break NDJSON parsing.
    expect(last.path).toBe(path.join(repoDir(home.cache, 'acme/json'), 'snapshots', repo.head))
  })

  test('a retry event says why, which file, and how long it waits', async ({ hub, hfx }) => {
    hub.addRepo('acme/json429', { 'a.json': '{}' })
    hub.inject({ filePath: 'a.json', kind: 'status', status: 429, headers: { 'Retry-After': '1' } })
    const run = await hfx('pull', 'acme/json429', '--json')
    expect(run.code, run.stderr).toBe(0)
    const retries = of(await parseEvents(run.stdout), 'retry')
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatchObject({ path: 'a.json', kind: 'rate_limited', attempt: 1, waitMs: 1000 })
  })

  test('a failed pull ends with an error event carrying code, hint and exit code; stderr still has the text', async ({ hfx }) => {
    const run = await hfx('pull', 'acme/missing', '--json')
    expect(run.code).toBe(3)
    const events = await parseEvents(run.stdout)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ event: 'error', code: 'REPO_NOT_FOUND', exitCode: 3 })
    expect(events[0].hint).toEqual(expect.any(String))
    expect(run.stderr).toMatch(/^error: repository acme\/missing was not found/)
  })
})

// ---- --dry-run ----

describe('--dry-run', () => {
  test('the plan it prints is what the real pull then downloads, with a cached file and a partial one', async ({ hub, home, hfx }) => {
    const SIZE = 3 * MiB
    const content = bytes(11, SIZE)
    const repo = hub.addRepo('acme/dry', { 'config.json': '{"a":1}', 'model.safetensors': content, 'extra.safetensors': bytes(12, 1 * MiB) })
    // config.json is already in the cache; 1 MiB of model.safetensors is left over from an earlier run.
    expect((await hfx('pull', 'acme/dry', 'config.json')).code).toBe(0)
    const blobs = path.join(repoDir(home.cache, 'acme/dry'), 'blobs')
    await mkdir(blobs, { recursive: true })
    await writeFile(path.join(blobs, `${repo.sha256('model.safetensors')}.incomplete`), content.subarray(0, 1 * MiB))
    hub.resetLog()

    const text = await hfx('pull', 'acme/dry', '--dry-run')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^ {2}cached +7 B {2}config\.json$/m)
    expect(text.stdout).toMatch(/^ {2}partial +3\.15 MB {2}model\.safetensors {2}\(1\.05 MB kept from an earlier run, 2\.10 MB to go\)$/m)
    expect(text.stdout).toMatch(/^ {2}download +1\.05 MB {2}extra\.safetensors$/m)
    expect(text.stdout).toMatch(/3 files, .*: 2 to download \(3\.15 MB\), 7 B already present, .* free$/m)
    expect(text.stdout).toContain(`bytes to download: ${3 * MiB}\n`)

    const json = await hfx('pull', 'acme/dry', '--dry-run', '--json')
    expect(json.code, json.stderr).toBe(0)
    const events = await parseEvents(json.stdout)
    expect(events.map((e) => e.event)).toEqual(['plan'])
    const plan = events[0] as Event & { downloadBytes: number; freeBytes: number; files: { path: string; status: string; partialBytes: number }[] }
    expect(plan.dryRun).toBe(true)
    expect(plan.freeBytes).toBeGreaterThan(0)
    expect(plan.files.map((f) => [f.path, f.status, f.partialBytes])).toEqual([
      ['config.json', 'cached', 0],
      ['extra.safetensors', 'download', 0],
      ['model.safetensors', 'partial', 1 * MiB],
    ])
    // Neither dry run transferred a byte of any file.
    expect(hub.bytesServed()).toBe(0)

    const real = await hfx('pull', 'acme/dry', '--json')
    expect(real.code, real.stderr).toBe(0)
    const done = of(await parseEvents(real.stdout), 'done')[0]
    expect(done.bytesDownloaded).toBe(plan.downloadBytes)
    expect(hub.bytesServed()).toBe(plan.downloadBytes)
    expect(await sha256File(path.join(String(done.path), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })
})

// ---- Ctrl-C and SIGTERM ----

describe('interrupting a pull', () => {
  test.for(['SIGINT', 'SIGTERM'] as const)('%s stops the transfer, keeps the partial file, says how to resume; the re-run completes', async (sig, { hub, home, hfx }) => {
    const SIZE = 16 * MiB
    const repo = hub.addRepo('acme/stop', { 'model.safetensors': bytes(41, SIZE) })
    // A new 1 MiB chunk every half second on each connection: a pull that goes on after the signal asks for more.
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const args = ['pull', 'acme/stop', '--chunk-size', '1M', '--connections', '2', '--include', '*.safetensors']
    const child = hfx.spawn(args)
    const run = collect(child)
    // Past the first 1 MiB chunks, so the partial file holds finished ranges a resume can keep.
    await until('more than 3 MiB served', () => hub.bytesServed('model.safetensors') > 3 * MiB)
    const logged = hub.requests.length
    child.kill(sig)
    const first = await run
    expect(first.code, first.stderr).toBe(130)
    // Stopped, not drained: no request begins after the signal (beyond one per connection already on its way),
    // and hfx is gone before the emulator has served the rest of the file (3 s more at this throttle).
    expect(hub.requests.length - logged).toBeLessThanOrEqual(2)
    expect(hub.bytesServed('model.safetensors')).toBeLessThan(SIZE)
    // How far it got: the selection's bytes on disk of its total.
    expect(first.stderr).toMatch(/^error: interrupted at [\d.]+ MB of 16\.8 MB; partial downloads are kept\.$/m)
    // Quoted so that a glob reaches hfx, not the shell, when the line is pasted back.
    expect(first.stderr).toContain(`hint: Resume with: hfx pull acme/stop --chunk-size 1M --connections 2 --include '*.safetensors'`)
    expect(await hfxPartials(path.join(repoDir(home.cache, 'acme/stop'), 'blobs'), repo.sha256('model.safetensors'))).toHaveLength(1)

    hub.throttle({})
    hub.resetLog()
    const again = await hfx(...args)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/resuming model\.safetensors at/)
    expect(hub.bytesServed('model.safetensors')).toBeLessThan(SIZE)
    expect(await sha256File(path.join(again.stdout.trim(), 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
  })

  test('with --json the stream ends with an INTERRUPTED error event', async ({ hub, hfx }) => {
    hub.addRepo('acme/stopjson', { 'model.safetensors': bytes(42, 4 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const child = hfx.spawn(['pull', 'acme/stopjson', '--json', '--chunk-size', '1M'])
    const run = collect(child)
    await until('the first bytes served', () => hub.bytesServed('model.safetensors') > 0)
    child.kill('SIGINT')
    const r = await run
    expect(r.code).toBe(130)
    const events = await parseEvents(r.stdout)
    expect(events.at(-1)).toMatchObject({ event: 'error', code: 'INTERRUPTED', exitCode: 130 })
  })

  test('the resume hint never repeats the token', async ({ hub, hfx }) => {
    hub.addRepo('acme/stoptoken', { 'model.safetensors': bytes(43, 4 * MiB) })
    hub.addToken('hf_resume_secret')
    hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
    const child = hfx.spawn(['pull', 'acme/stoptoken', '--token', 'hf_resume_secret', '--chunk-size', '1M'])
    const run = collect(child)
    await until('the first bytes served', () => hub.bytesServed('model.safetensors') > 0)
    child.kill('SIGINT')
    const r = await run
    expect(r.code).toBe(130)
    expect(r.stderr).toContain('hint: Resume with: hfx pull acme/stoptoken --chunk-size 1M (pass the token again')
    expect(r.stdout + r.stderr).not.toContain('hf_resume_secret')
  })
})

// ---- a real pseudo-terminal ----

describe('on a terminal', () => {
  test('bars render, redraw, and end cleanly with the summary', async ({ hub, home }) => {
    const repo = hub.addRepo('acme/tty', { 'config.json': '{}', 'model-00001.safetensors': bytes(51, 3 * MiB), 'model-00002.safetensors': bytes(52, 2 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const env = hfxEnv(hub, home, { NO_COLOR: undefined, TERM: 'xterm-256color' })
    const { code, raw } = await underPty(['pull', 'acme/tty', '--chunk-size', '1M', '--connections', '2'], env)
    expect(code, raw).toBe(0)
    // Redraws: the cursor moves back up over the bars, and bars are redrawn more than once.
    expect(raw).toMatch(/\x1b\[\d+A/)
    expect(raw.match(/model-00001\.safetensors (\x1b\[\d+m)?[█░]+(\x1b\[\d+m)? +\d+%/g)?.length).toBeGreaterThan(1)
    expect(raw).toMatch(/files .*ETA/)
    // Colour on a terminal without NO_COLOR; the cursor is hidden while drawing and shown again.
    expect(raw).toContain('\x1b[32m')
    expect(raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(raw.lastIndexOf('\x1b[?25l'))

    const screen = renderScreen(raw)
    const snapshot = path.join(repoDir(home.cache, 'acme/tty'), 'snapshots', repo.head)
    // What stays on screen: header, figures, the small files' count, the summary, then the path (stdout), once.
    expect(screen.at(-1)).toBe(snapshot)
    expect(screen.at(-2)).toMatch(/^complete: 3 files, 5\.24 MB downloaded, 0 B already present, .*commit [0-9a-f]{12}$/)
    expect(screen.filter((l) => l.startsWith('✓ '))).toEqual([expect.stringMatching(/^✓ 3 small files \(under 10\.0 MB each\), 5\.24 MB$/)])
    expect(screen.some((l) => /[█░]{4}/.test(l))).toBe(false)
  })

  test('NO_COLOR keeps the bars but drops the colours; HF_HUB_DISABLE_PROGRESS_BARS=1 prints plain lines', async ({ hub, home }) => {
    hub.addRepo('acme/ttyplain', { 'model.safetensors': bytes(53, 2 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const args = ['pull', 'acme/ttyplain', '--chunk-size', '1M']
    const noColor = await underPty(args, hfxEnv(hub, home, { NO_COLOR: '1', TERM: 'xterm-256color' }))
    expect(noColor.code, noColor.raw).toBe(0)
    expect(noColor.raw).toMatch(/\x1b\[\d+A/)
    expect(noColor.raw).not.toMatch(/\x1b\[\d+m/)

    const off = await underPty([...args, '--cache-dir', path.join(home.dir, 'other')], hfxEnv(hub, home, { HF_HUB_DISABLE_PROGRESS_BARS: '1', TERM: 'xterm-256color' }))
    expect(off.code, off.raw).toBe(0)
    expect(off.raw).not.toContain(ESC)
    expect(off.raw).toMatch(/^done model\.safetensors /m)
  })

  test('a wait is shown on the bar of the file that waits, counting down', async ({ hub, home }) => {
    hub.addRepo('acme/ttywait', { 'model.safetensors': bytes(55, 1 * MiB) })
    hub.inject({ filePath: 'model.safetensors', kind: 'status', status: 429, headers: { 'Retry-After': '2' } })
    const run = await underPty(['pull', 'acme/ttywait'], hfxEnv(hub, home, { TERM: 'xterm-256color' }))
    expect(run.code, run.raw).toBe(0)
    const shown = [...run.raw.matchAll(/model\.safetensors .*?rate limited by the Hub, retrying in ([\d.]+)s \(1\/\d+\)/g)].map((m) => Number(m[1]))
    // Several different values, from the 2 s the server asked for downwards.
    expect(new Set(shown).size).toBeGreaterThan(2)
    expect(Math.max(...shown)).toBeLessThanOrEqual(2)
  })

  test('Ctrl-C stops the bars, gives the cursor back, and prints the resume hint below them', async ({ hub, home }) => {
    const SIZE = 16 * MiB
    hub.addRepo('acme/ttystop', { 'model.safetensors': bytes(54, SIZE) })
    // A new 1 MiB chunk every half second on each connection: a pull that goes on after Ctrl-C asks for more.
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const env = hfxEnv(hub, home, { NO_COLOR: undefined, TERM: 'xterm-256color' })
    let logged = 0
    const when = () => hub.bytesServed() > 3 * MiB && ((logged = hub.requests.length), true)
    const run = await underPty(['pull', 'acme/ttystop', '--chunk-size', '1M', '--connections', '2'], env, { keys: { when, type: '\x03' } })
    expect(run.code, run.raw).toBe(130)
    // Stopped, not drained: no request begins after Ctrl-C (beyond one per connection already on its way), and
    // hfx is gone before the emulator has served the rest of the file.
    expect(hub.requests.length - logged).toBeLessThanOrEqual(2)
    expect(hub.bytesServed('model.safetensors')).toBeLessThan(SIZE)
    expect(run.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(run.raw.lastIndexOf('\x1b[?25l'))
    const screen = renderScreen(run.raw)
    expect(screen.at(-2)).toMatch(/^error: interrupted at [\d.]+ MB of 16\.8 MB; partial downloads are kept\.$/)
    expect(screen.at(-1)).toBe('hint: Resume with: hfx pull acme/ttystop --chunk-size 1M --connections 2')
  })
})
