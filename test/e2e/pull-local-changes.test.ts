// --local-dir and files the user changed: huggingface_hub replaces them without a word; hfx replaces them
// too (the folder must hold the commit), but names each one and keeps the user's version under
// .cache/huggingface/replaced/. An earlier download left untouched is an update, never "local changes".
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

/** Writes `content` at `file` with a modification time after anything a pull just recorded. */
async function edit(file: string, content: string): Promise<void> {
  await writeFile(file, content)
  const later = new Date(Date.now() + 5000)
  await utimes(file, later, later)
}

function doneEvent(stdout: string): { replaced: { path: string; keptAt: string }[] } {
  const events = stdout.trim().split('\n').map((l) => JSON.parse(l))
  return events.find((e) => e.event === 'done')
}

describe('hfx pull --local-dir over local changes', () => {
  test('an edited file is replaced, named in the output, and kept under .cache/huggingface/replaced/', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/edited', { 'config.json': '{"dim":8}', 'model.safetensors': bytes(1, 1 * MiB) })
    const dir = path.join(home.dir, 'out')
    expect((await hfx('pull', 'acme/edited', '--local-dir', dir)).code).toBe(0)
    await edit(path.join(dir, 'config.json'), '{"dim":8,"mine":true}')
    await edit(path.join(dir, 'model.safetensors'), 'not the weights')
    // A new commit changes config.json: the edit is replaced either way, and must be reported either way.
    repo.commit({ 'config.json': '{"dim":16}', 'model.safetensors': bytes(1, 1 * MiB) })

    const run = await hfx('pull', 'acme/edited', '--local-dir', dir)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('replaced local changes: config.json (your version is kept in .cache/huggingface/replaced/config.json)\n')
    expect(run.stderr).toContain('replaced local changes: model.safetensors (your version is kept in .cache/huggingface/replaced/model.safetensors)\n')
    expect(await readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"dim":16}')
    expect(await sha256File(path.join(dir, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    expect(await readFile(path.join(dir, '.cache/huggingface/replaced/config.json'), 'utf8')).toBe('{"dim":8,"mine":true}')
    expect(await readFile(path.join(dir, '.cache/huggingface/replaced/model.safetensors'), 'utf8')).toBe('not the weights')

    // --json: the done event lists them, with where they are kept.
    await edit(path.join(dir, 'config.json'), '{"again":1}')
    const json = await hfx('pull', 'acme/edited', '--local-dir', dir, '--json')
    expect(json.code, json.stderr).toBe(0)
    expect(doneEvent(json.stdout).replaced).toEqual([{ path: 'config.json', keptAt: path.join(dir, '.cache/huggingface/replaced/config.json') }])
    expect(await readFile(path.join(dir, '.cache/huggingface/replaced/config.json'), 'utf8')).toBe('{"again":1}')
  })

  test('a file of an older commit, untouched since its download, is updated and not reported', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/update', { 'config.json': '{"dim":8}', 'model.safetensors': bytes(2, 1 * MiB) })
    const dir = path.join(home.dir, 'out')
    expect((await hfx('pull', 'acme/update', '--local-dir', dir)).code).toBe(0)
    repo.commit({ 'config.json': '{"dim":16,"heads":2}', 'model.safetensors': bytes(3, 1 * MiB) })

    const run = await hfx('pull', 'acme/update', '--local-dir', dir)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/replaced/)
    expect(await readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"dim":16,"heads":2}')
    expect(await sha256File(path.join(dir, 'model.safetensors'))).toBe(repo.sha256('model.safetensors'))
    await expect(stat(path.join(dir, '.cache/huggingface/replaced'))).rejects.toThrow(/ENOENT/)

    repo.commit({ 'config.json': '{"dim":32}', 'model.safetensors': bytes(3, 1 * MiB) })
    const json = await hfx('pull', 'acme/update', '--local-dir', dir, '--json')
    expect(json.code, json.stderr).toBe(0)
    expect(doneEvent(json.stdout).replaced).toEqual([])
  })

  test('a file put there by hand: kept when it differs, not when it already holds the commit\'s content', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/by-hand', { 'config.json': '{"dim":8}', 'tokenizer.json': '{"v":1}' })
    const dir = path.join(home.dir, 'out')
    await mkdir(dir)
    await writeFile(path.join(dir, 'config.json'), '{"dim":9}') // the same size, another content
    await writeFile(path.join(dir, 'tokenizer.json'), '{"v":1}') // the very content: nothing is lost
    const run = await hfx('pull', 'acme/by-hand', '--local-dir', dir)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr.match(/replaced local changes: .*/g)).toEqual(['replaced local changes: config.json (your version is kept in .cache/huggingface/replaced/config.json)'])
    expect(await readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"dim":8}')
    expect(await readFile(path.join(dir, '.cache/huggingface/replaced/config.json'), 'utf8')).toBe('{"dim":9}')
  })
})
