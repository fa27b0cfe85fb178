import path from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  hfxPartialName,
  isWriteTmp,
  MANIFESTS_SEGMENTS,
  manifestCommit,
  manifestName,
  manifestPath,
  manifestsDir,
  parsePartialName,
  sidecarName,
  sidecarTmpName,
  writeTmpName,
} from '../../src/cache/hfx-names.js'

const E = 'a'.repeat(64)
const owner = { host: '0123abcd', pid: 4242 }

describe('partial file names', () => {
  test('hfx names its partials so that no huggingface_hub version reads them as its own', () => {
    const name = hfxPartialName(E, owner)
    expect(name).toBe(`${E}.hfx-0123abcd-4242.partial`)
    expect(name.endsWith('.incomplete')).toBe(false) // 0.x resumes `<etag>.incomplete`; `hf cache prune` deletes `*.incomplete`
    expect(parsePartialName(name)).toEqual({ kind: 'hfx', base: E, owner, file: 'data' })
    expect(parsePartialName(sidecarName(name))).toEqual({ kind: 'hfx', base: E, owner, file: 'sidecar' })
    expect(parsePartialName(`${sidecarName(name)}.1f2e3d4c.tmp`)).toEqual({ kind: 'hfx', base: E, owner, file: 'tmp' })
  })

  test.each([
    [`${E}.incomplete`, { kind: 'fixed', base: E, file: 'data' }],
    [`${E}.incomplete.parts`, { kind: 'fixed', base: E, file: 'sidecar' }],
    [`${E}.0a1b2c3d.incomplete`, { kind: 'unique', base: E, file: 'data' }],
    // huggingface_hub's local-dir partial: urlsafe base64 of sha1("<name>.metadata"), then the etag
    [`xGOKKLRSlIhH692hSVvI1-gpoa8=.${E}.incomplete`, { kind: 'fixed', base: `xGOKKLRSlIhH692hSVvI1-gpoa8=.${E}`, file: 'data' }],
    [`model.safetensors.${E}.hfx-0123abcd-7.partial`, { kind: 'hfx', base: `model.safetensors.${E}`, owner: { host: '0123abcd', pid: 7 }, file: 'data' }],
  ])('%s', (name, parsed) => {
    expect(parsePartialName(name)).toEqual(parsed)
  })

  test.each([E, `${E}.lock`, `${E}.hfx-zzzz-1.partial`, `${E}.partial`, 'CACHEDIR.TAG'])('%s is no partial', (name) => {
    expect(parsePartialName(name)).toBeUndefined()
  })
})

describe("hfx's other file names", () => {
  test('a sidecar and its temp file are recognised as the partial they belong to', () => {
    const partial = `/cache/models--a--b/blobs/${hfxPartialName(E, owner)}`
    expect(path.basename(sidecarName(partial))).toBe(`${hfxPartialName(E, owner)}.parts`)
    expect(parsePartialName(path.basename(sidecarTmpName(partial, '0a1b2c3d')))).toEqual({ kind: 'hfx', base: E, owner, file: 'tmp' })
  })

  test('the temp name of an atomic replace is recognised, and a ref or blob is not taken for one', () => {
    expect(isWriteTmp(writeTmpName('main', '1f2e3d4c'))).toBe(true)
    expect(isWriteTmp(path.basename(writeTmpName('/cache/refs/main', 'ab12cd34')))).toBe(true)
    for (const name of ['main', 'refs/pr/1', E, `${E}.tmp`, 'v1.hfx-.tmp']) expect(isWriteTmp(name)).toBe(false)
  })

  test('a manifest path names its commit, inside the repo folder', () => {
    const commit = 'c'.repeat(40)
    const file = manifestPath('/cache/models--a--b', commit)
    expect(file).toBe(path.join('/cache/models--a--b', '.hfx', 'manifests', `${commit}.json`))
    expect(path.dirname(file)).toBe(manifestsDir('/cache/models--a--b'))
    expect(path.join('/cache/models--a--b', ...MANIFESTS_SEGMENTS)).toBe(manifestsDir('/cache/models--a--b'))
    expect(manifestCommit(manifestName(commit))).toBe(commit)
    expect(manifestCommit(path.basename(file))).toBe(commit)
  })

  test.each(['README.md', '.json', `${'c'.repeat(40)}.json.tmp`])('%s is no manifest', (name) => {
    expect(manifestCommit(name)).toBeUndefined()
  })
})
