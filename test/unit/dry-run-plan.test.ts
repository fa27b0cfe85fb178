import { describe, expect, test } from 'vitest'
import { DiskSpaceError } from '../../src/errors.js'
import { noRoomError } from '../../src/pull/disk-space.js'
import { offlinePlan } from '../../src/pull/offline.js'

describe('noRoomError', () => {
  test('undefined while the download fits, even exactly; past that the pull error, exit 7, with sizes', () => {
    expect(noRoomError('/c', 100, 100)).toBeUndefined()
    const e = noRoomError('/c/blobs', 689_000_000_000, 81_800_000_000)
    expect(e).toBeInstanceOf(DiskSpaceError)
    expect(e?.exitCode).toBe(7)
    expect(e?.message).toBe('not enough disk space in /c/blobs: 689 GB still to download, 81.8 GB free.')
  })
})

describe('offlinePlan', () => {
  test('every cached file is skipped, sorted; blob names say the hash', () => {
    const sha256 = 'a'.repeat(64)
    const sha1 = 'b'.repeat(40)
    const plan = offlinePlan({
      commit: 'c'.repeat(40),
      path: '/snap',
      files: 2,
      bytes: 12,
      entries: [
        { path: 'w.safetensors', size: 10, etag: sha256 },
        { path: 'a.json', size: 2, etag: sha1 },
      ],
    })
    expect(plan).toMatchObject({ totalBytes: 12, cachedBytes: 12, downloadBytes: 0 })
    expect(plan.files.map((f) => [f.path, f.action, f.lfs, f.expected.algorithm])).toEqual([
      ['a.json', 'skip', false, 'git-sha1'],
      ['w.safetensors', 'skip', true, 'sha256'],
    ])
  })
})
