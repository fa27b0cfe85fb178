// What a pull prints when it runs in CI: on GitHub Actions a folded group per repo, ::error annotations for
// what failed, and a markdown summary appended to $GITHUB_STEP_SUMMARY; on GitLab CI a folded section per
// repo; anywhere else the plain lines, unchanged. Paths come from the server, so a hostile one must not be
// able to pass for a workflow command.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytes } from '../helpers/files.js'
import { describe, expect, test, type RunResult } from '../helpers/test.js'

const KiB = 1024

interface Command {
  name: string
  props: Record<string, string>
  data: string
}

/** The runner's reading of a `::name k=v,…::data` line (actions/runner ActionCommand.TryParseV2), undone escapes included. */
function parseCommand(line: string): Command | undefined {
  const m = /^::([^\s:]+)(?: ([^:]*))?::(.*)$/.exec(line.trimStart())
  if (!m) return undefined
  const undo = (s: string) => s.replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
  const props: Record<string, string> = {}
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = kv.indexOf('=')
    props[kv.slice(0, i)] = undo(kv.slice(i + 1))
  }
  return { name: m[1]!, props, data: undo(m[3]!) }
}

function lines(run: RunResult): string[] {
  return run.stderr.split('\n').filter((l) => l !== '')
}

function commands(run: RunResult): Command[] {
  return lines(run).flatMap((l) => parseCommand(l) ?? [])
}

/** Every group opened is closed, none nests, and the plan's lines are inside one. */
function expectBalancedGroups(run: RunResult): void {
  let open = 0
  for (const c of commands(run)) {
    if (c.name === 'group') expect(++open, run.stderr).toBe(1)
    if (c.name === 'endgroup') expect(--open, run.stderr).toBe(0)
  }
  expect(open, run.stderr).toBe(0)
}

/** No line is a workflow command hfx did not mean: only its own group, endgroup, error and warning lines. */
function expectOnlyOwnCommands(run: RunResult): void {
  for (const l of lines(run)) {
    expect(l, 'the older ##[command] form is recognised anywhere in a line').not.toContain('##[')
    if (!l.trimStart().startsWith('::')) continue
    expect(l).toMatch(/^::(group::|endgroup::$|error (file=[^:]*,)?title=[^:]*::|warning::)/)
  }
}

const GITHUB = { GITHUB_ACTIONS: 'true' }

describe('on GitHub Actions', () => {
  test('a pull is one folded group; the summary line follows it and is appended to the step summary', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tiny', { 'config.json': '{"a": 1}', 'model.safetensors': bytes(1, 300 * KiB) })
    const summary = path.join(home.dir, 'step-summary.md')
    await writeFile(summary, '## Earlier step\n\nkept as it was\n')
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: summary } })('pull', 'acme/tiny')
    expect(run.code, run.stderr).toBe(0)
    expectBalancedGroups(run)
    expectOnlyOwnCommands(run)
    const out = lines(run)
    expect(out[0]).toBe(`::group::acme/tiny  main → ${repo.head}`)
    expect(out.at(-2)).toBe('::endgroup::')
    expect(out.at(-1)).toMatch(/^complete: 2 files, /)
    expect(out).toContain(`acme/tiny  main → ${repo.head}`) // the plain header is still inside
    const md = await readFile(summary, 'utf8')
    expect(md.startsWith('## Earlier step\n\nkept as it was\n')).toBe(true)
    expect(md).toContain('### hfx pull')
    expect(md).toMatch(new RegExp(`\\| acme/tiny \\| main \\| ${repo.head.slice(0, 12)} \\| 2 \\| [0-9.]+ kB \\| 0 B \\| [^|]+ \\| complete \\|`))
  })

  test('a second run appends a second summary: the step summary is never rewritten', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/tiny', { 'config.json': '{}' })
    const summary = path.join(home.dir, 'step-summary.md')
    const env = { ...GITHUB, GITHUB_STEP_SUMMARY: summary }
    expect((await hfx.with({ env })('pull', 'acme/tiny')).code).toBe(0)
    expect((await hfx.with({ env })('pull', 'acme/tiny')).code).toBe(0)
    const md = await readFile(summary, 'utf8')
    expect(md.match(/### hfx pull/g)).toHaveLength(2)
    expect(md).toMatch(/\| 1 \| 0 B \| 2 B \| [^|]+ \| up to date \|/)
  })

  test('a file that fails for good is an ::error annotation naming it, once', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/gitsha', { 'vocab.txt': 'x'.repeat(5000), 'config.json': '{}' })
    hub.inject({ filePath: 'vocab.txt', kind: 'corrupt', offset: 10, times: Infinity })
    const summary = path.join(home.dir, 'step-summary.md')
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: summary } })('pull', 'acme/gitsha')
    expect(run.code).toBe(6)
    expectBalancedGroups(run)
    expectOnlyOwnCommands(run)
    const errors = commands(run).filter((c) => c.name === 'error')
    // The error that ends the run is this file's: one annotation, not two.
    expect(errors).toEqual([{ name: 'error', props: { file: 'vocab.txt', title: 'hfx pull acme/gitsha' }, data: expect.stringContaining(`vocab.txt failed its git-sha1 check (expected ${repo.gitSha1('vocab.txt')}`) }])
    expect(run.stderr).toContain('error: vocab.txt failed its git-sha1 check') // the CLI's own line as ever
    const md = await readFile(summary, 'utf8')
    expect(md).toMatch(/\| 1 failed \|/)
    expect(md).toContain('- acme/gitsha: vocab\\.txt: vocab\\.txt failed its git\\-sha1 check')
  })

  test('an error before any file (no such repo) is an annotation too, and the step summary says it', async ({ home, hfx }) => {
    const summary = path.join(home.dir, 'step-summary.md')
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: summary } })('pull', 'acme/missing')
    expect(run.code).not.toBe(0)
    const errors = commands(run).filter((c) => c.name === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.props).toEqual({ title: 'hfx pull' })
    expect(errors[0]!.data).toMatch(/acme\/missing/)
    expect(commands(run).some((c) => c.name === 'group')).toBe(false)
    expect(await readFile(summary, 'utf8')).toMatch(/\*\*Error:\*\* .*acme\/missing/)
  })

  test('hostile paths cannot pass for workflow commands, in the log or in an annotation', async ({ hub, home, hfx }) => {
    const hostile = ['::add-mask::a.txt', 'b ##[add-mask]secret.txt', 'c%0A::set-output name=x::y.txt', 'd,title=pwned:e.txt', ' ::warning::f.txt']
    hub.addRepo('acme/hostile', Object.fromEntries(hostile.map((p, i) => [p, `content ${i}`])))
    for (const p of hostile) hub.inject({ filePath: p, kind: 'corrupt', offset: 1, times: Infinity })
    const summary = path.join(home.dir, 'step-summary.md')
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: summary } })('pull', 'acme/hostile')
    expect(run.code).toBe(6)
    expectBalancedGroups(run)
    expectOnlyOwnCommands(run)
    // Each annotation names its file exactly, as the runner will read it back.
    const files = commands(run).filter((c) => c.name === 'error').map((c) => c.props.file)
    const shown = (p: string) => p.replace('##[', '#\\x23[')
    expect(files.sort()).toEqual(hostile.map(shown).sort())
    // The step summary shows the names as text: no markdown or HTML of theirs.
    const md = await readFile(summary, 'utf8')
    expect(md).toContain('b \\#\\#\\[add\\-mask\\]secret\\.txt')
  })

  test('a path with a line break is refused, and its text starts no line of its own', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/newline', { 'config.json': '{}', 'x\n::set-env name=NODE_OPTIONS::--require=/tmp/pwn\n##[add-mask]y': 'z' })
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: path.join(home.dir, 's.md') } })('pull', 'acme/newline')
    expect(run.code).toBe(8)
    expectOnlyOwnCommands(run)
    expect(commands(run).map((c) => c.name)).toEqual(['error'])
  })

  test('a step summary that cannot be written is a warning; the pull still succeeds', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/tiny', { 'config.json': '{}' })
    const summary = path.join(home.dir, 'no-such-dir', 'summary.md')
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: summary } })('pull', 'acme/tiny')
    expect(run.code, run.stderr).toBe(0)
    const warnings = commands(run).filter((c) => c.name === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.data).toContain(`could not append the pull's summary to GITHUB_STEP_SUMMARY (${summary}): ENOENT`)
  })

  test('--json is the same as anywhere else; only the step summary is added', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/tiny', { 'config.json': '{}', 'b.txt': 'bb' })
    const summary = path.join(home.dir, 'step-summary.md')
    const run = await hfx.with({ env: { ...GITHUB, GITHUB_STEP_SUMMARY: summary } })('pull', 'acme/tiny', '--json')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string })
    expect(events.at(-1)!.event).toBe('done')
    expect(run.stdout).not.toContain('::')
    expect(await readFile(summary, 'utf8')).toContain('| acme/tiny |')
  })
})

describe('on GitLab CI', () => {
  const SECTION = /\x1b\[0Ksection_(start|end):(\d+):([^\r[]+)(\[collapsed=true\])?\r\x1b\[0K(.*)$/

  test('a pull is one collapsed section with a valid name; the summary line follows it', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/tiny.v2', { 'config.json': '{}' })
    const run = await hfx.with({ env: { GITLAB_CI: 'true' } })('pull', 'acme/tiny.v2')
    expect(run.code, run.stderr).toBe(0)
    const out = lines(run)
    const marks = out.map((l) => SECTION.exec(l)).filter((m) => m !== null)
    expect(marks.map((m) => m[1])).toEqual(['start', 'end'])
    const [start, end] = marks as [RegExpExecArray, RegExpExecArray]
    expect(start[3]).toMatch(/^[a-zA-Z0-9_.-]+$/)
    expect(end[3]).toBe(start[3])
    expect(start[4]).toBe('[collapsed=true]')
    expect(start[5]).toBe(`acme/tiny.v2  main → ${repo.head}`)
    expect(Number(end[2])).toBeGreaterThanOrEqual(Number(start[2]))
    expect(out.at(-1)).toMatch(/^up to date|^complete: 1 file/)
    expect(run.stderr).not.toContain('::')
  })
})

describe('anywhere else', () => {
  test('the plain lines carry no group, section or annotation, and no step summary is written', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/gitsha', { 'vocab.txt': 'x'.repeat(5000), 'config.json': '{}' })
    hub.inject({ filePath: 'vocab.txt', kind: 'corrupt', offset: 10, times: Infinity })
    const summary = path.join(home.dir, 'step-summary.md')
    // GITHUB_STEP_SUMMARY alone, without GITHUB_ACTIONS=true, is not GitHub Actions.
    const run = await hfx.with({ env: { GITHUB_STEP_SUMMARY: summary, GITLAB_CI: 'false' } })('pull', 'acme/gitsha')
    expect(run.code).toBe(6)
    expect(run.stderr).not.toContain('::')
    expect(run.stderr).not.toContain('\x1b')
    expect(run.stderr).not.toContain('section_')
    const out = lines(run)
    expect(out[0]).toMatch(/^acme\/gitsha {2}main → [0-9a-f]{40}$/)
    expect(out.some((l) => l.startsWith('failed vocab.txt: vocab.txt failed its git-sha1 check'))).toBe(true)
    expect(out.at(-3)).toMatch(/^incomplete: 2 files \(1 failed\), /)
    expect(out.at(-2)).toMatch(/^error: vocab\.txt failed its git-sha1 check/)
    expect(out.at(-1)).toMatch(/^hint: /)
    await expect(readFile(summary, 'utf8')).rejects.toThrow(/ENOENT/)
  })

  test('the same run on GitHub prints the same lines, only framed', async ({ hub, hfx }) => {
    // One file: the order of `done` lines is the order downloads end in.
    hub.addRepo('acme/tiny', { 'config.json': '{}' })
    const plain = await hfx('pull', 'acme/tiny', '--force-download')
    const github = await hfx.with({ env: GITHUB })('pull', 'acme/tiny', '--force-download')
    const shape = (run: RunResult) => lines(run).map((l) => l.replace(/, [^,]+\/s, [^,]+, commit/, ', <rate>, <time>, commit').replace(/, [^,]+ free$/, ', <free>'))
    expect(shape(github).filter((l) => !l.startsWith('::'))).toEqual(shape(plain))
  })
})
