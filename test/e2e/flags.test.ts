// The command line itself (issue 15, points 14-15): help that shows what a user types, flags that clash
// refused with what to do instead, and the flags `hf download` users type from habit.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const KiB = 1024
const USAGE = 2

/** The error and hint lines, nothing else (commander adds its own lines to its own errors only). */
function complaint(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error: ') || l.startsWith('hint: '))
}

describe('help', () => {
  test('defaults read as typed (16M, 7d), hfx --help lists the exit codes, pull --help the global options', async ({ hfx }) => {
    const pull = await hfx('pull', '--help')
    expect(pull.code).toBe(0)
    expect(pull.stdout).toMatch(/--chunk-size <size>\s+bytes per Range request \(default: 16M\)/)
    expect(pull.stdout).not.toContain('16777216')
    // The global options a pull depends on, where a pull's user looks; offline and --json errors explained.
    expect(pull.stdout).toMatch(/Global Options:[\s\S]*--token <token>[\s\S]*--cache-dir <dir>/)
    expect(pull.stdout).toContain('--endpoint <url>')
    expect(pull.stdout).toContain('HF_HUB_OFFLINE=1')
    expect(pull.stdout).toContain('"error" event')
    expect(pull.stdout).toMatch(/--force-download/)
    expect(pull.stdout).not.toContain('--max-workers <n>') // accepted, not advertised

    const prune = await hfx('cache', 'prune', '--help')
    expect(prune.stdout).toMatch(/\(default: 7d\)/)
    expect(prune.stdout).not.toContain('604800000')

    const top = await hfx('--help')
    expect(top.stdout).toContain('Exit codes:')
    for (const [code, words] of [
      [2, 'bad arguments'],
      [3, 'not found'],
      [9, 'HF_HUB_OFFLINE'],
      [130, 'interrupted'],
      [141, 'lost its reader'],
    ] as const) {
      expect(top.stdout).toMatch(new RegExp(`^ +${code}  .*${words}`, 'm'))
    }
  })

  test('a mistyped option gets a suggestion', async ({ hfx }) => {
    const run = await hfx('pull', 'acme/x', '--dryrun')
    expect(run.code).toBe(USAGE)
    expect(run.stderr).toContain("unknown option '--dryrun'")
    expect(run.stderr).toContain('(Did you mean --dry-run?)')
  })
})

describe('flags that clash are refused before any work, saying what to do', () => {
  test.for([
    [['pull', 'acme/tiny', '--quiet', '--dry-run'], '--quiet and --dry-run cannot be used together', 'Use --dry-run alone'],
    [['pull', 'acme/tiny', '--json', '-q'], '--quiet and --json cannot be used together', 'Use --json alone'],
    [['pull', 'acme/tiny', '--local-dir', 'x', '--cache-dir', 'y'], '--local-dir and --cache-dir cannot be used together', 'Use --local-dir DIR'],
    [['--cache-dir', 'y', 'pull', 'acme/tiny', '--local-dir', 'x'], '--local-dir and --cache-dir cannot be used together', 'Use --local-dir DIR'],
    [['pull', 'acme/tiny', '--max-workers', '4', '-j', '8'], '--max-workers and -j/--max-files cannot be used together', 'Give the number of files in parallel once'],
    [['ls', 'acme/tiny', '--flat', '--json'], '--flat and --json cannot be used together', 'Use --flat'],
    [['ls', 'acme/tiny', '--flat', '-l'], '--flat and -l/--long cannot be used together', 'Use --flat'],
    [['ls', 'acme/tiny', '--long', '--json'], '-l/--long and --json cannot be used together', 'Use --json alone'],
  ] as const)('%s', async ([args, error, hint], { hub, home, hfx }) => {
    hub.addRepo('acme/tiny', { 'a.txt': 'a' })
    const run = await hfx(...args)
    expect(run.code).toBe(USAGE)
    const [e, h] = complaint(run.stderr)
    expect(e).toMatch(new RegExp(`^error: ${error.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}: `))
    expect(h).toContain(`hint: ${hint}`)
    expect(run.stdout).toBe('') // no plan, no JSON event, no listing
    expect(hub.requests.length).toBe(0) // refused before asking the Hub anything
    expect(await readFile(path.join(home.dir, 'x'), 'utf8').catch(() => 'absent')).toBe('absent')
  })

  test('HF_HUB_CACHE beside --local-dir is no clash: only the --cache-dir flag is', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/tiny', { 'a.txt': 'a' })
    const run = await hfx.with({ env: { HF_HUB_CACHE: path.join(home.dir, 'elsewhere') } })('pull', 'acme/tiny', '--local-dir', 'out', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(await readFile(path.join(home.dir, 'out', 'a.txt'), 'utf8')).toBe('a')
  })
})

describe('flags hf download users type', () => {
  test('--max-workers is --max-files, --repo-type dataset is the datasets/ prefix, --token works after the command', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/set', { 'a.csv': 'x,y\n', 'b.csv': '1,2\n' }, { type: 'dataset', private: true })
    hub.addToken('hf_reader', { repos: ['datasets/acme/set'] })
    const run = await hfx('pull', 'acme/set', '--repo-type', 'dataset', '--max-workers', '1', '--token', 'hf_reader', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim()).toContain(path.join(repoDir(home.cache, 'acme/set', 'dataset'), 'snapshots'))
    const bad = await hfx('pull', 'acme/set', '--repo-type', 'dataset', '--max-workers', '0')
    expect(bad.code).toBe(USAGE)
    expect(bad.stderr).toContain("option '--max-workers <n>' argument '0' is invalid")
  })

  test('--resume-download and --local-dir-use-symlinks are accepted with a note on what hfx does', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/tiny', { 'a.txt': 'a' })
    const run = await hfx('pull', 'acme/tiny', '--resume-download', '--local-dir', 'out', '--local-dir-use-symlinks', 'False', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr.trim().split('\n')).toEqual([
      'note: --resume-download is not needed: hfx always resumes what an earlier run left.',
      'note: --local-dir-use-symlinks is ignored: --local-dir always gets plain files; without --local-dir, files go to the cache as symlinks into blobs/.',
    ])
    expect(await readFile(path.join(home.dir, 'out', 'a.txt'), 'utf8')).toBe('a')
  })

  test('--force-download fetches cached files again and replaces a damaged copy', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tiny', { 'model.safetensors': bytes(1, 300 * KiB), 'config.json': '{}' })
    expect((await hfx('pull', 'acme/tiny', '--quiet')).code).toBe(0)
    const blob = path.join(repoDir(home.cache, 'acme/tiny'), 'blobs', repo.etag('model.safetensors'))
    await writeFile(blob, bytes(2, 300 * KiB)) // same size, wrong bytes: a plain pull trusts it
    const again = await hfx('pull', 'acme/tiny', '--dry-run', '--json')
    expect(JSON.parse(again.stdout).downloadFiles).toBe(0)

    const plan = await hfx('pull', 'acme/tiny', '--force-download', '--dry-run', '--json')
    expect(JSON.parse(plan.stdout)).toMatchObject({ downloadFiles: 2, cachedBytes: 0 })
    const run = await hfx('pull', 'acme/tiny', '--force-download', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(blob)).toBe(repo.sha256('model.safetensors'))
    expect(hub.bytesServed('model.safetensors')).toBe(2 * 300 * KiB)
    expect(hub.bytesServed('config.json')).toBe(2 * 2)
  })

  test('--force-download into a --local-dir fetches again and replaces the plain files', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tiny', { 'model.safetensors': bytes(1, 300 * KiB), 'config.json': '{}' })
    expect((await hfx('pull', 'acme/tiny', '--local-dir', 'out', '--quiet')).code).toBe(0)
    const run = await hfx('pull', 'acme/tiny', '--local-dir', 'out', '--force-download', '--quiet')
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(path.join(home.dir, 'out', 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(hub.bytesServed('model.safetensors')).toBe(2 * 300 * KiB)
  })

  test('--force-download never puts bad bytes in place of a good copy', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tiny', { 'model.safetensors': bytes(1, 300 * KiB) })
    expect((await hfx('pull', 'acme/tiny', '--quiet')).code).toBe(0)
    hub.inject({ filePath: 'model.safetensors', kind: 'corrupt', offset: 1000, times: 100 })
    const run = await hfx('pull', 'acme/tiny', '--force-download')
    expect(run.code).toBe(6)
    const snapshot = path.join(repoDir(home.cache, 'acme/tiny'), 'snapshots', repo.head, 'model.safetensors')
    expect(await sha256File(snapshot)).toBe(repo.sha256('model.safetensors'))
  })

  test('--force-download offline is refused: the cached copy is all there is', async ({ hub, hfx }) => {
    hub.addRepo('acme/tiny', { 'a.txt': 'a' })
    expect((await hfx('pull', 'acme/tiny', '--quiet')).code).toBe(0)
    const run = await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('pull', 'acme/tiny', '--force-download')
    expect(run.code).toBe(9)
    expect(complaint(run.stderr)).toEqual([
      'error: --force-download fetches from the Hub, but HF_HUB_OFFLINE is set.',
      'hint: Unset HF_HUB_OFFLINE to fetch the files again, or leave out --force-download to use the cached copy.',
    ])
  })
})
