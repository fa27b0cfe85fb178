import { describe, expect, test } from 'vitest'
import { hfxPartialName, parsePartialName, sidecarName } from '../../src/cache/partial-name.js'

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
