import { describe, expect, test } from 'vitest'
import { parseAge, formatAgo } from '../../src/cache/age.js'
import type { CachedRepo } from '../../src/cache/cached-repo.js'
import { parseRepoFolderName } from '../../src/cache/layout.js'
import { resolveLocalRevision } from '../../src/cache/local-revision.js'
import { repoUsage, sortRepos } from '../../src/cache/usage.js'
import { NotInCacheError } from '../../src/errors.js'

const A = 'a1b2'.repeat(10)
const B = 'a1c3'.repeat(10)

function repo(over: Partial<CachedRepo> = {}): CachedRepo {
  return {
    type: 'model',
    id: 'acme/tiny',
    folder: 'models--acme--tiny',
    blobs: [
      { name: 'x', size: 100, atimeMs: 5, mtimeMs: 2 },
      { name: 'y', size: 20, atimeMs: 9, mtimeMs: 1 },
      { name: 'z', size: 3, atimeMs: 1, mtimeMs: 1 },
    ],
    partials: [{ etag: 'p', files: ['p.incomplete'], size: 7, mtimeMs: 0 }],
    snapshots: [
      { commit: A, mtimeMs: 0, files: [{ path: 'a', kind: 'blob', blob: 'x' }, { path: 'b', kind: 'blob', blob: 'y' }] },
      { commit: B, mtimeMs: 0, files: [{ path: 'a', kind: 'blob', blob: 'x' }] },
    ],
    refs: [
      { name: 'main', commit: A },
      { name: 'refs/pr/1', commit: B },
    ],
    noExist: [],
    manifests: [],
    ...over,
  }
}

describe('parseRepoFolderName', () => {
  test.each([
    ['models--org--name', { type: 'model', id: 'org/name' }],
    ['models--gpt2', { type: 'model', id: 'gpt2' }],
    ['datasets--org--data', { type: 'dataset', id: 'org/data' }],
    ['spaces--org--app', { type: 'space', id: 'org/app' }],
  ])('%s', (folder, want) => expect(parseRepoFolderName(folder)).toEqual(want))

  test.each(['.locks', '.hfx', 'CACHEDIR.TAG', 'models--', 'models--a--b--c', 'weights--a--b', 'version.txt'])('%s is not a repo folder', (f) => {
    expect(parseRepoFolderName(f)).toBeUndefined()
  })
})

describe('resolveLocalRevision', () => {
  test('refs by name, including nested ones; main by default', () => {
    expect(resolveLocalRevision(repo(), undefined)).toBe(A)
    expect(resolveLocalRevision(repo(), 'refs/pr/1')).toBe(B)
  })

  test('full commits and unique prefixes of at least 4 digits', () => {
    expect(resolveLocalRevision(repo(), B)).toBe(B)
    expect(resolveLocalRevision(repo(), 'a1c3')).toBe(B)
    expect(() => resolveLocalRevision(repo(), 'a1')).toThrow(NotInCacheError)
    expect(() => resolveLocalRevision(repo(), 'a1b2a1')).not.toThrow()
  })

  test('a too-short prefix or an unknown ref names the cached revisions in its hint', () => {
    expect(() => resolveLocalRevision(repo(), 'a1')).toThrow(/not in the cache/)
    const err = (() => {
      try {
        resolveLocalRevision(repo(), 'v2')
      } catch (e) {
        return e as NotInCacheError
      }
    })()
    expect(err?.hint).toContain('a1b2a1b2a1b2 (main)')
  })

  test('without refs/main, the only snapshot', () => {
    expect(resolveLocalRevision(repo({ refs: [], snapshots: repo().snapshots.slice(1) }), undefined)).toBe(B)
  })
})

describe('repoUsage', () => {
  test('counts each blob once, unused blobs and partials apart, last use from blob atime', () => {
    const u = repoUsage(repo())
    expect(u.sizeOnDisk).toBe(123)
    expect(u.unusedBlobBytes).toBe(3)
    expect(u.partialBytes).toBe(7)
    expect(u.lastAccessedMs).toBe(9)
    expect(u.lastModifiedMs).toBe(2)
    expect(u.revisions).toEqual([
      { commit: A, refs: ['main'], files: 2, size: 120, snapshot: true },
      { commit: B, refs: ['refs/pr/1'], files: 1, size: 100, snapshot: true },
    ])
  })

  test('sorts by size, name or last use', () => {
    const big = repoUsage(repo({ id: 'b/big' }))
    const small = repoUsage(repo({ id: 'a/small', blobs: [{ name: 'x', size: 1, atimeMs: 99, mtimeMs: 0 }] }))
    expect(sortRepos([small, big], 'size').map((u) => u.id)).toEqual(['b/big', 'a/small'])
    expect(sortRepos([big, small], 'name').map((u) => u.id)).toEqual(['a/small', 'b/big'])
    expect(sortRepos([big, small], 'time').map((u) => u.id)).toEqual(['a/small', 'b/big'])
  })
})

describe('ages', () => {
  test.each([
    ['30m', 30 * 60_000],
    ['12h', 12 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['0', 0],
  ])('parseAge(%s)', (text, ms) => expect(parseAge(text)).toBe(ms))

  test.each(['', '7', '1y', '-1d', 'd'])('parseAge(%j) is a usage error', (text) => expect(() => parseAge(text)).toThrow(/30m, 12h or 7d/))

  test('formatAgo rounds down to whole units', () => {
    const now = 100 * 86_400_000
    expect(formatAgo(now - 30_000, now)).toBe('just now')
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 minutes ago')
    expect(formatAgo(now - 86_400_000, now)).toBe('1 day ago')
    expect(formatAgo(now - 9 * 86_400_000, now)).toBe('1 week ago')
    expect(formatAgo(0, now)).toBe('never')
  })
})
