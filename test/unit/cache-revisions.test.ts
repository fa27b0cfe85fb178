import { describe, expect, test } from 'vitest'
import { parseAge, formatAgo } from '../../src/cache/age.js'
import type { CachedRepo } from '../../src/cache/cached-repo.js'
import { parseRepoFolderName } from '../../src/cache/layout.js'
import { resolveLocal, resolveLocalRevision, type LocalRevisions } from '../../src/cache/local-revision.js'
import { repoUsage, sortRepos } from '../../src/cache/usage.js'
import { NotInCacheError } from '../../src/errors.js'
import { thrown } from '../helpers/thrown.js'

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
    expect(resolveLocalRevision(repo(), undefined, 'main')).toBe(A)
    expect(resolveLocalRevision(repo(), 'refs/pr/1', 'main')).toBe(B)
  })

  test('full commits and unique prefixes of at least 4 digits', () => {
    expect(resolveLocalRevision(repo(), B, 'main')).toBe(B)
    expect(resolveLocalRevision(repo(), 'a1c3', 'main')).toBe(B)
    expect(() => resolveLocalRevision(repo(), 'a1', 'main')).toThrow(NotInCacheError)
    expect(() => resolveLocalRevision(repo(), 'a1b2a1', 'main')).not.toThrow()
  })

  test('a too-short prefix or an unknown ref names the cached revisions in its hint', () => {
    expect(() => resolveLocalRevision(repo(), 'a1', 'main')).toThrow(/not in the cache/)
    const err = thrown(() => resolveLocalRevision(repo(), 'v2', 'main')) as NotInCacheError
    expect(err?.hint).toContain('a1b2a1b2a1b2 (main)')
  })

  test('without refs/main, the only snapshot', () => {
    expect(resolveLocalRevision(repo({ refs: [], snapshots: repo().snapshots.slice(1) }), undefined, 'main')).toBe(B)
  })
})

describe('resolveLocal: the one offline resolver (offline pull and hfx cache)', () => {
  const C = 'c0ffee'.padEnd(40, '0')
  const local = (over: Partial<LocalRevisions> = {}): LocalRevisions => ({
    refs: [
      { name: 'main', commit: A },
      { name: B.slice(0, 7), commit: B }, // a pull at a short sha writes refs/<short>, as huggingface_hub does
      { name: 'cafe', commit: A }, // a branch whose name looks like a short sha
    ],
    snapshots: [A, B],
    noExist: [C],
    ...over,
  })

  test.each<[string | undefined, string, string | undefined]>([
    [undefined, 'main', A],
    ['main', 'main', A],
    [B.slice(0, 7), 'main', B], // the short sha's ref
    [B, 'main', B], // a full commit names itself
    ['a1c3', 'main', B], // a unique prefix of a known commit
    ['c0ff', 'main', C], // markers make a commit known too
    ['cafe', 'main', A], // a ref wins over the commits it would prefix
    ['a1', 'main', undefined], // too short to be a prefix
    ['a1b2a1b2', 'main', A],
    ['f00d', 'main', undefined],
    ['v2', 'main', undefined],
    [undefined, 'master', undefined], // ModelScope's default branch is not main, and two snapshots are no answer
  ])('%s (default %s) → %s', (revision, def, commit) => {
    const r = resolveLocal(local(), revision, def)
    expect(r.found ? r.commit : undefined).toBe(commit)
  })

  test('an ambiguous short sha lists the commits it matches', () => {
    const r = resolveLocal(local({ refs: [] }), 'a1', 'main')
    expect(r).toEqual({ found: false, matches: [] })
    const both = resolveLocal(local({ refs: [], snapshots: [A, 'a1b2'.padEnd(40, 'f')] }), 'a1b2', 'main')
    expect(both).toEqual({ found: false, matches: [A, 'a1b2'.padEnd(40, 'f')].sort() })
  })

  test('without a revision or a default ref: the only snapshot; a named revision never guesses', () => {
    expect(resolveLocal(local({ refs: [], snapshots: [B] }), undefined, 'master')).toEqual({ found: true, commit: B })
    expect(resolveLocal(local({ refs: [], snapshots: [B] }), 'main', 'main')).toEqual({ found: false, matches: [] })
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

  test('a repo with only partials is partialOnly, last used when they were written; a ModelScope repo is named ms://', () => {
    const u = repoUsage(repo({ blobs: [], snapshots: [], refs: [], partials: [{ etag: 'p', files: ['p.incomplete'], size: 7, mtimeMs: 42 }] }), 'modelscope')
    expect(u).toMatchObject({ repo: 'ms://acme/tiny', hub: 'modelscope', partialOnly: true, sizeOnDisk: 0, partialBytes: 7, lastAccessedMs: 42, lastModifiedMs: 42 })
    expect(repoUsage(repo())).toMatchObject({ repo: 'acme/tiny', hub: 'huggingface', partialOnly: false })
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
