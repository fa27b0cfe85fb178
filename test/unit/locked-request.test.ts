import { describe, expect, test } from 'vitest'
import type { LockedRepo } from '../../src/lock/lockfile.js'
import { lockedRequest, lockedTreeFile } from '../../src/pull/locked.js'
import { expectedFor, planPull } from '../../src/pull/plan.js'

const entry: LockedRepo = {
  hub: 'huggingface',
  type: 'dataset',
  id: 'acme/rows',
  revision: 'v2',
  commit: 'c'.repeat(40),
  include: ['data/*'],
  exclude: [],
  files: [
    { path: 'data/a.parquet', size: 2048, sha256: 'a'.repeat(64) },
    { path: 'data/b.json', size: 12, gitOid: 'b'.repeat(40) },
  ],
}

describe('a lock entry as a pull request', () => {
  test('sha256 files are fetched as LFS and checked by sha256; git oids by git blob sha1', () => {
    expect(lockedTreeFile(entry.files[0]!)).toEqual({ type: 'file', path: 'data/a.parquet', size: 2048, oid: '', lfs: { oid: 'a'.repeat(64), size: 2048 } })
    expect(expectedFor(lockedTreeFile(entry.files[0]!))).toEqual({ algorithm: 'sha256', hex: 'a'.repeat(64), size: 2048 })
    expect(expectedFor(lockedTreeFile(entry.files[1]!))).toEqual({ algorithm: 'git-sha1', hex: 'b'.repeat(40), size: 12 })
  })

  test('the commit, revision and selection come from the entry; blobs are named as the lock hashes them', () => {
    const req = lockedRequest(entry)
    expect(req.ref).toEqual({ type: 'dataset', id: 'acme/rows', revision: 'v2' })
    expect(req.select).toEqual({ include: ['data/*'], exclude: [] })
    expect(req.locked).toMatchObject({ revision: 'v2', commit: 'c'.repeat(40) })
    const plan = planPull(req.locked!.files, () => ({ complete: false, linked: false, partial: 0 }))
    expect(plan.files.map((f) => [f.path, f.etag, f.lfs])).toEqual([
      ['data/a.parquet', 'a'.repeat(64), true],
      ['data/b.json', 'b'.repeat(40), false],
    ])
  })

  test('a ModelScope entry keeps its hub, and is fetched by its revision name', () => {
    expect(lockedRequest({ ...entry, hub: 'modelscope', type: 'model', revision: 'master' }).ref).toEqual({ type: 'model', id: 'acme/rows', revision: 'master', hub: 'modelscope' })
  })
})
