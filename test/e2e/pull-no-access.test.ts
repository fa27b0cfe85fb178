// A gated repo without access: the first 401/403 stops the pull with one error (exit 4), and nothing is
// left behind, neither in the cache (no repo folder, no lock folder, no empty partials, nothing for
// `hfx cache ls` to show) nor in a --local-dir.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { EXIT } from '../../src/errors.js'
import { listFiles } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const cases = [
  { who: 'no token', env: {}, error: 'error: acme/gated is gated: downloading it needs a token.' },
  { who: 'a token without access', env: { HF_TOKEN: 'hf_nogrant' }, error: 'error: acme/gated is gated and your token has not been granted access.' },
]

describe('a gated repo without access', () => {
  test.for(cases)('$who, into the cache: one error, exit 4, nothing in the cache', async ({ env, error }, { hub, home, hfx }) => {
    hub.addRepo('acme/gated', { 'config.json': '{}', 'a.safetensors': bytes(5, 200_000), 'b.safetensors': bytes(6, 200_000), 'c/d.bin': bytes(7, 50_000) }, { gated: 'manual' })
    hub.addToken('hf_nogrant')
    const run = await hfx.with({ env })('pull', 'acme/gated', '--max-files', '1')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines[0], run.stderr).toBe(error)
    expect(lines.slice(1).every((l) => l.startsWith('hint: ')), run.stderr).toBe(true)
    expect(run.stdout).toBe('')
    // Before: a line per file, "incomplete → <snapshot folder that does not exist>", a repo folder with
    // 0-byte partials and a lock folder, shown by `hfx cache ls` and not removed by `prune`.
    expect(await listFiles(home.cache)).toEqual([])
    expect(await readdir(home.cache).catch(() => [])).toEqual([])
    const ls = await hfx('cache', 'ls', '--json')
    expect(JSON.parse(ls.stdout).repos).toEqual([])
  })

  test.for(cases)('$who, into a --local-dir: one error, exit 4, the folder not made', async ({ env, error }, { hub, home, hfx }) => {
    hub.addRepo('acme/gated', { 'config.json': '{}', 'a.safetensors': bytes(5, 200_000), 'b.safetensors': bytes(6, 200_000) }, { gated: 'manual' })
    hub.addToken('hf_nogrant')
    const dir = path.join(home.dir, 'out')
    const run = await hfx.with({ env })('pull', 'acme/gated', '--local-dir', dir, '--json')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    expect(run.stderr.trimEnd().split('\n')[0]).toBe(error)
    // --json: the plan is not announced for a pull that cannot start; one error event, no file_failed.
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; code?: string })
    expect(events.map((e) => e.event)).toEqual(['error'])
    expect(events[0]!.code).toBe('GATED_REPO')
    expect(await readdir(dir).catch(() => 'absent')).toBe('absent')
    expect(await readdir(home.cache).catch(() => [])).toEqual([])
  })

  test('a 403 met mid-pull (access revoked meanwhile) stops the whole pull: no file after it starts', async ({ hub, hfx }) => {
    hub.addRepo('acme/revoked', { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' })
    hub.inject({ filePath: 'b.txt', kind: 'status', status: 403, headers: { 'X-Error-Code': 'GatedRepo' }, times: Infinity })
    const run = await hfx('pull', 'acme/revoked', '--max-files', '1')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    expect(run.stderr).toContain('error: acme/revoked is gated: downloading it needs a token.')
    // Before: b.txt failed on its own line, c.txt and d.txt were fetched anyway, then "incomplete → …".
    expect(run.stderr).not.toMatch(/b\.txt|incomplete/)
    expect(hub.requests.filter((r) => r.filePath === 'c.txt' || r.filePath === 'd.txt')).toEqual([])
  })
})
