// ModelScope file listings → tree entries, the snapshot id, and revision choice: plain values in and out.
import { describe, expect, test } from 'vitest'
import { MissingHashError } from '../../src/hub/modelscope/errors.js'
import { pickRevision, readRevisionMap, snapshotId, toListing } from '../../src/hub/modelscope/listing.js'
import { ProtocolError } from '../../src/errors.js'

const ctx = { ref: { type: 'model' as const, id: 'acme/tiny' }, endpoint: 'https://www.modelscope.cn' }
const SHA = 'ab'.repeat(32)
const file = (Path: string, extra: Record<string, unknown> = {}) => ({ Name: Path.split('/').pop(), Path, Type: 'blob', Size: 5, Sha256: SHA, IsLFS: false, ...extra })

describe('toListing', () => {
  test('files carry their sha256 as the hash to verify and name the blob by; folders stay folders', () => {
    const l = toListing([file('a/b.bin', { IsLFS: true, Size: 9, CommittedDate: 1_700_000_000 }), { Path: 'a', Type: 'tree', Size: 0, Sha256: '' }], ctx)
    expect(l.entries).toEqual([
      { type: 'file', path: 'a/b.bin', size: 9, oid: '', lfs: { oid: SHA, size: 9 } },
      { type: 'directory', path: 'a' },
    ])
    expect([...l.lfsPaths]).toEqual(['a/b.bin'])
    expect(l.lastModified).toBe('2023-11-14T22:13:20.000Z')
  })

  test('an upper-case Sha256 is accepted and stored lower-case', () => {
    const l = toListing([file('x', { Sha256: SHA.toUpperCase() })], ctx)
    expect(l.entries[0]).toMatchObject({ lfs: { oid: SHA } })
  })

  test.each([
    ['../escape', /'\.\.' segment/],
    ['/etc/passwd', /absolute/],
    ['a\\..\\b', /backslash/],
    ['C:/x', /drive letter/],
    ['.git/config', /\.git segment/],
  ])('marks the unsafe path %s, which collectTree then refuses for a pull', (p, reason) => {
    const [entry] = toListing([file(p)], ctx).entries
    expect(entry).toMatchObject({ path: p, unsafe: expect.stringMatching(reason) })
    expect(toListing([file('ok.bin')], ctx).entries[0]).not.toHaveProperty('unsafe')
  })

  test('a missing or empty Sha256 is refused with the file named', () => {
    expect(() => toListing([file('model.bin', { Sha256: '' })], ctx)).toThrow(MissingHashError)
    expect(() => toListing([file('model.bin', { Sha256: undefined })], ctx)).toThrow(/model\.bin in acme\/tiny without a Sha256/)
  })

  test.each([
    [{ Sha256: 'xyz' }, /invalid Sha256/],
    [{ Size: -1 }, /invalid size/],
    [{ Size: 1.5 }, /invalid size/],
    [{ Type: 'commit' }, /unknown type/],
  ])('refuses nonsense: %j', (extra, message) => {
    expect(() => toListing([file('f', extra)], ctx)).toThrow(message)
  })

  test('a path listed twice is refused', () => {
    expect(() => toListing([file('f'), file('f', { Sha256: 'cd'.repeat(32) })], ctx)).toThrow(ProtocolError)
  })
})

describe('snapshotId', () => {
  const entries = (files: Record<string, string>) => toListing(Object.entries(files).map(([p, sha]) => file(p, { Sha256: sha })), ctx).entries

  test('depends on the files, not on listing order or folders', () => {
    const a = snapshotId(entries({ x: SHA, y: 'cd'.repeat(32) }))
    const b = snapshotId([...entries({ y: 'cd'.repeat(32), x: SHA }), { type: 'directory', path: 'd' }])
    expect(a).toMatch(/^[0-9a-f]{40}$/)
    expect(b).toBe(a)
  })

  test('changes when a file is deleted, added or changed', () => {
    const base = snapshotId(entries({ x: SHA, y: 'cd'.repeat(32) }))
    expect(snapshotId(entries({ x: SHA }))).not.toBe(base)
    expect(snapshotId(entries({ x: SHA, y: 'cd'.repeat(32), z: SHA }))).not.toBe(base)
    expect(snapshotId(entries({ x: SHA, y: 'ef'.repeat(32) }))).not.toBe(base)
  })
})

describe('revisions', () => {
  const map = readRevisionMap({ RevisionMap: { Branches: [{ Revision: 'master' }, { Revision: 'dev' }], Tags: [{ Revision: 'v1.0' }] } }, ctx)

  test('reads branches and tags by name', () => {
    expect(map).toEqual({ branches: ['master', 'dev'], tags: ['v1.0'] })
    expect(() => readRevisionMap({}, ctx)).toThrow(/no RevisionMap/)
  })

  test('a requested branch or tag is used as named; anything else is unknown', () => {
    expect(pickRevision(map, 'dev')).toBe('dev')
    expect(pickRevision(map, 'v1.0')).toBe('v1.0')
    expect(pickRevision(map, 'v2')).toBeUndefined()
    expect(pickRevision(map, '3f2a9c1')).toBeUndefined()
  })

  test('no request: master, or the only branch there is', () => {
    expect(pickRevision(map, undefined)).toBe('master')
    expect(pickRevision({ branches: ['main'], tags: [] }, undefined)).toBe('main')
    expect(pickRevision({ branches: ['a', 'b'], tags: [] }, undefined)).toBeUndefined()
  })
})
