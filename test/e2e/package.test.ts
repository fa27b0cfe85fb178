// What `npm pack` ships (issue 15, point 17): only the bin, the build and the README, and a package that runs
// where npm would install it. A real `npm install -g ./hfx-*.tgz` needs the registry's metadata for the
// dependencies (npm resolves their ranges even with --offline: ENOTCACHED on a machine that never fetched
// them), and tests never touch the network. So the tarball is unpacked where `npm install -g` puts it
// (<prefix>/lib/node_modules/hfx, with <prefix>/bin/hfx a link to its bin), its node_modules is this
// checkout's, and the linked bin is run as a shell would run it.
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { repoDir } from '../helpers/cache.js'
import { CLI, collect, hfxEnv, test, expect } from '../helpers/test.js'

const ROOT = path.resolve(path.dirname(CLI), '..')
const run = promisify(execFile)

async function sources(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await sources(dir, p)))
    else if (p.endsWith('.ts')) out.push(p)
  }
  return out
}

test('npm pack ships bin, dist and README only, and the packed hfx runs from a global prefix', async ({ hub, home }) => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'hfx-pack-'))
  try {
    // --ignore-scripts: `npm test` built dist already; prepack would delete it under the other tests' feet.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT })
    const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }]
    const files = info.files.map((f) => f.path).sort()
    for (const needed of ['package.json', 'README.md', 'bin/hfx.js', 'dist/cli.js', 'dist/pull/hash-worker.js', 'dist/pull/receive-worker.js']) expect(files).toContain(needed)
    // Every module the build makes is inside (a `files` pattern that drops one would break at run time).
    for (const src of await sources(path.join(ROOT, 'src'))) expect(files).toContain(`dist/${src.replace(/\.ts$/, '.js')}`)
    expect(files.filter((f) => f.endsWith('.map') || /^(src|test|scripts|bench|node_modules)\//.test(f) || f.startsWith('tsconfig'))).toEqual([])

    const prefix = path.join(tmp, 'prefix')
    const installed = path.join(prefix, 'lib', 'node_modules', 'hfx')
    await mkdir(path.dirname(installed), { recursive: true })
    await mkdir(path.join(prefix, 'bin'))
    await run('tar', ['-xzf', path.join(tmp, info.filename), '-C', tmp])
    await run('mv', [path.join(tmp, 'package'), installed])
    await symlink(await realpath(path.join(ROOT, 'node_modules')), path.join(installed, 'node_modules'))
    await symlink('../lib/node_modules/hfx/bin/hfx.js', path.join(prefix, 'bin', 'hfx'))
    const PATH = `${path.join(prefix, 'bin')}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`
    const hfx = (...args: string[]) => collect(spawn('hfx', args, { env: hfxEnv(hub, home, { PATH }), cwd: home.dir, stdio: ['ignore', 'pipe', 'pipe'] }))

    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const v = await hfx('--version')
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout.trim()).toBe(version)
    // Not only the entry point: a pull loads the hash worker and the rest of dist.
    const repo = hub.addRepo('acme/tiny', { 'config.json': '{}', 'model.safetensors': Buffer.alloc(3 * 1024 * 1024, 7) })
    const pull = await hfx('pull', 'acme/tiny', '--quiet')
    expect(pull.code, pull.stderr).toBe(0)
    expect(pull.stdout).toBe(`${path.join(repoDir(home.cache, 'acme/tiny'), 'snapshots', repo.head)}\n`)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
})
