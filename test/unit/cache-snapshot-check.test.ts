import { describe, expect, test } from 'vitest'
import type { Snapshot } from '../../src/cache/cached-repo.js'
import { expectedFromName, expectedFromTree, judge, planChecks, type ExpectedFile } from '../../src/cache/snapshot-check.js'

const SHA256 = 'a'.repeat(64)
const SHA1 = 'b'.repeat(40)
const snap: Snapshot = {
  commit: 'c'.repeat(40),
  mtimeMs: 0,
  files: [
    { path: 'config.json', kind: 'blob', blob: SHA1 },
    { path: 'gone.bin', kind: 'blob', blob: 'd'.repeat(64) },
    { path: 'model.safetensors', kind: 'blob', blob: SHA256 },
    { path: 'evil', kind: 'foreign', target: '/etc/passwd' },
    { path: 'copy.txt', kind: 'file', size: 3 },
  ],
}
const blobs = new Set([SHA1, SHA256])

describe('expectedFromName', () => {
  test('64 hex is sha256, 40 hex is git sha1, anything else vouches for nothing', () => {
    expect(expectedFromName('p', SHA256)?.algorithm).toBe('sha256')
    expect(expectedFromName('p', SHA1)?.algorithm).toBe('git-sha1')
    expect(expectedFromName('p', 'W/"etag"')).toBeUndefined()
  })
})

describe('expectedFromTree', () => {
  test('LFS files are checked by sha256, the others by their git oid', () => {
    expect(expectedFromTree({ type: 'file', path: 'w', size: 9, oid: SHA1, lfs: { oid: SHA256, size: 9 } })).toEqual({ path: 'w', algorithm: 'sha256', hex: SHA256, size: 9 })
    expect(expectedFromTree({ type: 'file', path: 'c', size: 2, oid: SHA1 })).toEqual({ path: 'c', algorithm: 'git-sha1', hex: SHA1, size: 2 })
  })
})

describe('planChecks', () => {
  test('offline: each blob against its name; dangling and foreign links are problems; plain files unchecked', () => {
    const p = planChecks(snap, blobs, undefined)
    expect(p.checks.map((c) => [c.path, c.expected.algorithm])).toEqual([
      ['config.json', 'git-sha1'],
      ['model.safetensors', 'sha256'],
    ])
    expect(p.problems.map((x) => [x.path, x.kind])).toEqual([
      ['gone.bin', 'dangling'],
      ['evil', 'foreign'],
    ])
    expect(p.unchecked).toEqual(['copy.txt'])
  })

  test('against a listing: extra files, and absent files are missing only when required', () => {
    const listing: ExpectedFile[] = [
      { path: 'config.json', algorithm: 'git-sha1', hex: SHA1, size: 2 },
      { path: 'copy.txt', algorithm: 'git-sha1', hex: SHA1, size: 3 },
      { path: 'README.md', algorithm: 'git-sha1', hex: SHA1, size: 5 },
      { path: 'tokenizer.json', algorithm: 'git-sha1', hex: SHA1, size: 5 },
    ]
    const p = planChecks(snap, blobs, listing, (path) => path === 'README.md')
    expect(p.checks.map((c) => c.path)).toEqual(['config.json', 'copy.txt'])
    expect(p.problems.map((x) => [x.path, x.kind])).toEqual([
      ['gone.bin', 'extra'],
      ['model.safetensors', 'extra'],
      ['evil', 'extra'],
      ['README.md', 'missing'],
    ])
    expect(p.absent).toEqual(['tokenizer.json'])
  })
})

describe('judge', () => {
  const check = { path: 'w', file: { path: 'w', kind: 'blob' as const, blob: SHA256 }, expected: { path: 'w', algorithm: 'sha256' as const, hex: SHA256, size: 9 } }

  test('a matching hash and size pass', () => {
    expect(judge(check, { hex: SHA256, size: 9 })).toBeUndefined()
  })

  test('a wrong size or hash is corrupt, and a blob named for the failed hash is bad for everyone', () => {
    expect(judge(check, { hex: SHA256, size: 8 })).toMatchObject({ kind: 'corrupt', detail: '8 bytes, expected 9', blobIsBad: true })
    expect(judge(check, { hex: 'f'.repeat(64), size: 9 })).toMatchObject({ kind: 'corrupt', blobIsBad: true })
  })

  test('a link to a blob of another name condemns the link, not the blob', () => {
    const other = { ...check, file: { ...check.file, blob: 'e'.repeat(64) } }
    expect(judge(other, { hex: 'e'.repeat(64), size: 9 })).toMatchObject({ kind: 'corrupt', blobIsBad: false })
  })
})
