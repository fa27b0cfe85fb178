// `hfx cache verify --local-dir DIR`: a folder pulled with --local-dir (huggingface_hub's local_dir layout,
// metadata in .cache/huggingface/download/) hashed against the Hub's listing, or offline against that
// metadata; --fix (the command the hint prints) fetches the bad files into the folder again.
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

describe('hfx cache verify --local-dir', () => {
  test('clean, then a flipped byte and a deleted file are found online and offline; the hint fixes them as printed', async ({ hub, hfx, home }) => {
    const repo = hub.addRepo('acme/local', { 'config.json': '{"a":1}', 'w/model.safetensors': { content: bytes(5, 200_000), lfs: true }, 'README.md': '# r' })
    const dir = path.join(home.dir, 'folder')
    expect((await hfx('pull', 'acme/local', 'config.json', 'w/model.safetensors', '--local-dir', dir)).code).toBe(0)
    await writeFile(path.join(dir, 'notes.txt'), 'mine') // the user's own file: reported, never a failure

    const clean = await hfx('cache', 'verify', 'acme/local', '--local-dir', dir)
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stdout).toBe(
      `acme/local  ${repo.head}\n2 files hashed against the Hub's listing in ${dir}\n  extra  notes.txt: not in the commit\n` +
        '1 file of the commit was never downloaded into this folder (--complete counts them as missing)\n',
    )
    const offlineClean = await hfx.with({ env: { HF_HUB_OFFLINE: '1' } })('cache', 'verify', 'acme/local', '--local-dir', dir, '--json')
    expect(offlineClean.code, offlineClean.stderr).toBe(0)
    expect(JSON.parse(offlineClean.stdout)).toMatchObject({ against: 'metadata', localDir: dir, commit: repo.head, checked: 2, problems: [], unchecked: ['notes.txt'] })

    const weights = path.join(dir, 'w', 'model.safetensors')
    const buf = await readFile(weights)
    buf[1000] ^= 0xff
    await writeFile(weights, buf)
    await rm(path.join(dir, 'config.json'))
    for (const env of [{}, { HF_HUB_OFFLINE: '1' }]) {
      const run = await hfx.with({ env })('cache', 'verify', 'acme/local', '--local-dir', dir)
      expect(run.code).toBe(6)
      expect(run.stdout).toMatch(/ {2}missing +config\.json: /)
      expect(run.stdout).toMatch(/ {2}corrupt +w\/model\.safetensors: sha256 /)
      expect(run.stderr).toContain(`error: acme/local in ${dir}: 1 missing, 1 corrupt.`)
    }
    const run = await hfx('cache', 'verify', 'acme/local', '--local-dir', dir)
    const hint = /hint: Fetch the bad files again with: hfx (.*)$/m.exec(run.stderr)?.[1]
    expect(hint).toBe(`cache verify acme/local@${repo.head} --local-dir ${dir} --fix`)
    const fixed = await hfx(...hint!.split(' '))
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(await readFile(weights)).toEqual(repo.file('w/model.safetensors').content)
    expect(await readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"a":1}')
    expect((await hfx('cache', 'verify', 'acme/local', '--local-dir', dir)).code).toBe(0)
  })
})
