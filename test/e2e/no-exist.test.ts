// `.no_exist/<commit>/<path>` markers: written as huggingface_hub writes them when a named file is not in the
// commit, read back offline, and removed with their revision without leaving a folder scan_cache_dir rejects.
import { readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { describe, expect, test } from '../helpers/test.js'

describe('.no_exist markers', () => {
  test('a named file the commit lacks leaves an empty marker and refs/main, and still exits 3', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/optional', { 'config.json': '{}', 'sub/a.json': '[]' })
    const dir = repoDir(home.cache, 'acme/optional')
    const run = await hfx('pull', 'acme/optional', 'adapter_config.json', 'sub/missing.json', 'config.json', '*.gguf')
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('error: adapter_config.json does not exist in acme/optional at main.')
    for (const name of ['adapter_config.json', 'sub/missing.json']) {
      const marker = await stat(path.join(dir, '.no_exist', repo.head, name))
      expect(marker.isFile() && marker.size === 0).toBe(true)
    }
    expect(await readdir(path.join(dir, '.no_exist', repo.head))).toEqual(['adapter_config.json', 'sub']) // no marker for a glob or a file that exists
    expect(await readFile(path.join(dir, 'refs', 'main'), 'utf8')).toBe(repo.head) // try_to_load_from_cache finds the marker through it

    hub.resetLog()
    const offline = await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('pull', 'acme/optional', 'adapter_config.json')
    expect(offline.code).toBe(3) // the cache knows the answer: not found, as online; not "offline and incomplete"
    expect(offline.stderr).toContain('error: adapter_config.json does not exist in acme/optional at main.')
    expect(hub.requests).toEqual([])
  })

  test('--local-dir writes no marker (huggingface_hub keeps none there) and nothing in the cache', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/optional2', { 'config.json': '{}' })
    const run = await hfx('pull', 'acme/optional2', 'adapter_config.json', '--local-dir', path.join(home.dir, 'out'))
    expect(run.code).toBe(3)
    expect(await readdir(home.cache).catch(() => [])).not.toContain('models--acme--optional2')
  })

  test('hfx cache rm of a revision that only has markers removes the repo folder, not just the markers', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/markers', { 'config.json': '{}' })
    expect((await hfx('pull', 'acme/markers', 'adapter_config.json')).code).toBe(3)
    const rm = await hfx('cache', 'rm', 'acme/markers@main', '--yes')
    expect(rm.code, rm.stderr).toBe(0)
    // Left behind, refs/main (naming a commit without a snapshot) in a folder without snapshots/ is what
    // huggingface_hub's scan_cache_dir reports as a corrupted repo.
    expect(await readdir(home.cache)).not.toContain('models--acme--markers')
  })
})
