// What each command loads before it does anything: `hfx --version` and `--help` load only the command
// definitions, and a pull loads neither the bars for a terminal it does not have nor `hfx info`'s header
// parsers. Each of those is tens of milliseconds of start-up (BENCHMARKS.md, "Start-up"); the tests look
// at which modules were loaded, never at the time it took.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test, type Home, type Hfx } from '../helpers/test.js'

const HOOKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/module-log.mjs')
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist')

/** The modules `hfx args` loaded: dist/… relative to dist, packages as their name. */
async function loadedBy(hfx: Hfx, home: Home, ...args: string[]): Promise<{ ours: string[]; packages: string[] }> {
  const log = path.join(home.dir, 'modules.log')
  const run = await hfx.with({ env: { NODE_OPTIONS: `--import=${HOOKS}`, HFX_MODULE_LOG: log } })(...args)
  expect(run.code, run.stderr).toBe(0)
  const urls = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith('file:'))
  const files = urls.map((u) => fileURLToPath(u))
  const ours = files.filter((f) => f.startsWith(`${DIST}/`)).map((f) => path.relative(DIST, f))
  const packages = [...new Set(files.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? []))]
  return { ours, packages }
}

/** What only a running command needs: the Hub client, the engines, the printers, the cache scans. */
const ENGINES = /^(session|hub\/.*|pull\/index|pull\/fetch-planned|summary\/summarize-repo|serve\/.*|report\/tty|report\/lines|cache\/scan-cache|lock\/store)\.js$/

describe('start-up', () => {
  test.for(['--version', '--help', 'pull --help'])('hfx %s loads the command definitions and commander, nothing that runs a command', async (args, { hfx, home }) => {
    const { ours, packages } = await loadedBy(hfx, home, ...args.split(' '))
    expect(packages).toEqual(['commander'])
    expect(ours).toContain('commands/pull.js')
    expect(ours.filter((m) => ENGINES.test(m))).toEqual([])
  })

  test('a pull not on a terminal loads no progress bars, no info parsers, no server and no lockfile code', async ({ hub, hfx, home }) => {
    hub.addRepo('acme/tiny', { 'config.json': '{"model_type":"llama"}' })
    const { ours, packages } = await loadedBy(hfx, home, 'pull', 'acme/tiny')
    // It did pull: the engine and the Hub client are there.
    expect(ours).toEqual(expect.arrayContaining(['pull/index.js', 'pull/fetch-planned.js', 'hub/huggingface/hub.js']))
    expect(packages).toContain('undici')
    expect(packages.filter((p) => ['chalk', 'cli-progress'].includes(p) || p.startsWith('@huggingface/'))).toEqual([])
    expect(ours.filter((m) => /^(report\/tty|report\/color|summary\/summarize-repo|serve\/.*|hub\/modelscope\/.*|commands\/pull-locked|lock\/store)\.js$/.test(m))).toEqual([])
  })

  test('hfx cache ls opens no Hub client', async ({ hfx, home }) => {
    const { ours, packages } = await loadedBy(hfx, home, 'cache', 'ls')
    expect(ours).toContain('cache/scan-cache.js')
    expect(packages).toEqual(['commander'])
    expect(ours.filter((m) => m.startsWith('hub/'))).toEqual([])
  })
})
