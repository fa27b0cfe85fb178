// The CI framing around the plain lines, driven by events as pull() sends them: one group per repo however
// many pulls share the reporter, an annotation per failure (once), and the step summary appended on close.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { UsageError } from '../../src/errors.js'
import type { TreeFile } from '../../src/hub/hub.js'
import { planPull } from '../../src/pull/plan.js'
import type { PlanEvent, PullSummary } from '../../src/pull/reporter.js'
import { CiLineReporter } from '../../src/report/ci-lines.js'
import { SilentReporter } from '../../src/report/lines.js'
import { StepSummaryReporter } from '../../src/report/step-summary-file.js'
import { ciFrom } from '../../src/settings.js'

const tree: TreeFile[] = [{ type: 'file', path: 'w.bin', size: 10, oid: 'a'.repeat(40) }]
const plan = planPull(tree, () => ({ complete: false, linked: false, partial: 0 }))
const file = plan.files[0]!

function planned(repo: string): PlanEvent {
  return { repo, type: 'model', revision: 'main', commit: 'c'.repeat(40), root: '/snap', plan, dryRun: false }
}

function summary(repo: string, failed: PullSummary['failed'] = []): PullSummary {
  return { repo, revision: 'main', commit: 'c'.repeat(40), path: '/snap', files: 1, downloadedBytes: 10, reusedBytes: 0, durationMs: 5, failed, replaced: [] }
}

function printer(ci: 'github' | 'gitlab') {
  const lines: string[] = []
  let now = 1_700_000_000
  return { lines, r: new CiLineReporter(ci, (l) => lines.push(l), () => now++) }
}

describe('ciFrom', () => {
  test.each([
    [{}, {}],
    [{ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '/s.md' }, { ci: 'github', stepSummary: '/s.md' }],
    [{ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' }, { ci: 'github', stepSummary: undefined }],
    [{ GITHUB_ACTIONS: 'false', GITHUB_STEP_SUMMARY: '/s.md' }, {}],
    [{ GITLAB_CI: 'true' }, { ci: 'gitlab' }],
    [{ GITLAB_CI: 'true', GITHUB_ACTIONS: 'true' }, { ci: 'github', stepSummary: undefined }],
  ])('%o → %o', (env, settings) => {
    expect(ciFrom(env)).toEqual(settings)
  })
})

describe('CiLineReporter on GitHub', () => {
  test('one reporter, two pulls: two groups, each closed before its summary line', () => {
    const { lines, r } = printer('github')
    for (const repo of ['acme/a', 'acme/b']) {
      r.planned(planned(repo))
      r.fileDone(file, { hash: 'f'.repeat(40), downloaded: 10 })
      r.done(summary(repo))
    }
    r.close()
    const marks = lines.filter((l) => l.startsWith('::')).map((l) => l.split('::')[1])
    expect(marks).toEqual(['group', 'endgroup', 'group', 'endgroup'])
    expect(lines[lines.indexOf('::endgroup::') + 1]).toMatch(/^complete: 1 file/)
  })

  test('a pull that fails before done: close() ends the group, then annotates the error with its hint', () => {
    const { lines, r } = printer('github')
    r.planned(planned('acme/a'))
    r.close(new UsageError('stopped: 100%', 'try again'))
    expect(lines.slice(-2)).toEqual(['::endgroup::', '::error title=hfx pull acme/a::stopped: 100%25%0Atry again'])
  })

  test("a planned pull while a group is open (the last one's done never came) closes that group first", () => {
    const { lines, r } = printer('github')
    r.planned(planned('acme/a'))
    r.planned(planned('acme/b'))
    r.close()
    expect(lines.filter((l) => l.startsWith('::')).map((l) => l.split('::')[1])).toEqual(['group', 'endgroup', 'group', 'endgroup'])
  })

  test("a failed file is annotated once, and the run's error with the same text is not annotated again", () => {
    const { lines, r } = printer('github')
    r.planned(planned('acme/a'))
    r.fileFailed(file, 'w.bin failed its sha256 check')
    r.done(summary('acme/a', [{ path: 'w.bin', error: 'w.bin failed its sha256 check' }]))
    r.close(new UsageError('w.bin failed its sha256 check'))
    expect(lines.filter((l) => l.startsWith('::error'))).toEqual(['::error file=w.bin,title=hfx pull acme/a::w.bin failed its sha256 check'])
  })
})

describe('CiLineReporter on GitLab', () => {
  test('sections with distinct names, balanced, no GitHub commands', () => {
    const { lines, r } = printer('gitlab')
    for (const repo of ['acme/a', 'acme/a']) {
      r.planned(planned(repo))
      r.done(summary(repo))
    }
    r.close(new UsageError('x'))
    const marks = lines.flatMap((l) => /section_(start|end):(\d+):([^\r[]+)/.exec(l) ?? []).filter((_, i) => i % 4 !== 0)
    expect(marks).toEqual(['start', '1700000000', 'hfx_pull_1_acme_a', 'end', '1700000001', 'hfx_pull_1_acme_a', 'start', '1700000002', 'hfx_pull_2_acme_a', 'end', '1700000003', 'hfx_pull_2_acme_a'])
    expect(lines.some((l) => l.startsWith('::'))).toBe(false)
  })
})

describe('StepSummaryReporter', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-summary-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('appends once, however often close() is called (a second Ctrl-C calls it early)', async () => {
    const file = path.join(dir, 'summary.md')
    await writeFile(file, 'before\n')
    const r = new StepSummaryReporter(new SilentReporter(), file)
    r.done(summary('acme/a'))
    r.done(summary('acme/b'))
    r.close()
    r.close()
    const md = await readFile(file, 'utf8')
    expect(md.startsWith('before\n### hfx pull\n')).toBe(true)
    expect(md.match(/### hfx pull/g)).toHaveLength(1)
    expect(md).toContain('| acme/a |')
    expect(md).toContain('| acme/b |')
  })

  test('nothing pulled and no error: nothing written', async () => {
    const file = path.join(dir, 'summary.md')
    new StepSummaryReporter(new SilentReporter(), file).close()
    await expect(readFile(file)).rejects.toThrow(/ENOENT/)
  })

  test('a file that cannot be written: a ::warning:: line, no throw', () => {
    const warnings: string[] = []
    const r = new StepSummaryReporter(new SilentReporter(), dir, (l) => warnings.push(l)) // a directory
    r.done(summary('acme/a'))
    r.close()
    expect(warnings).toEqual([`::warning::could not append the pull's summary to GITHUB_STEP_SUMMARY (${dir}): EISDIR`])
  })
})
