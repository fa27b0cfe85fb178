// Which requests `hfx serve` answers, and that no spelling of a path outside the repo gets through: the
// request target is decoded segment by segment, so `..` in any encoding is seen before any join.
import { describe, expect, test } from 'vitest'
import { readRange } from '../../src/serve/byte-range.js'
import { parseTarget } from '../../src/serve/route.js'
import { allEntries, decodeCursor, encodeCursor, entriesFor, fileEntry, lfsPointer, listFolder, page } from '../../src/serve/tree-entries.js'

describe('parseTarget', () => {
  test.each([
    ['/api/models/org/name', { kind: 'info', type: 'model', id: 'org/name' }],
    ['/api/models/gpt2', { kind: 'info', type: 'model', id: 'gpt2' }],
    ['/api/datasets/org/d/revision/refs%2Fpr%2F1', { kind: 'info', type: 'dataset', id: 'org/d', revision: 'refs/pr/1' }],
    ['/api/models/gpt2/revision/main', { kind: 'info', type: 'model', id: 'gpt2', revision: 'main' }],
    ['/api/spaces/o/s/tree/main/sub/dir?recursive=true', { kind: 'tree', type: 'space', id: 'o/s', revision: 'main', path: 'sub/dir' }],
    ['/api/models/o/n/tree/main', { kind: 'tree', type: 'model', id: 'o/n', revision: 'main', path: '' }],
    ['/api/models/o/n/paths-info/main', { kind: 'paths-info', type: 'model', id: 'o/n', revision: 'main' }],
    ['/o/n/resolve/main/a/b.json', { kind: 'resolve', type: 'model', id: 'o/n', revision: 'main', path: 'a/b.json' }],
    ['/gpt2/resolve/v1.0/config.json', { kind: 'resolve', type: 'model', id: 'gpt2', revision: 'v1.0', path: 'config.json' }],
    ['/datasets/o/d/resolve/refs%2Fconvert%2Fparquet/x.parquet', { kind: 'resolve', type: 'dataset', id: 'o/d', revision: 'refs/convert/parquet', path: 'x.parquet' }],
    ['/o/n/resolve/main/with%20space.txt', { kind: 'resolve', type: 'model', id: 'o/n', revision: 'main', path: 'with space.txt' }],
  ])('%s', (target, route) => {
    expect(parseTarget(target).route).toEqual(route)
  })

  test.each([
    '/o/n/resolve/main/../x',
    '/o/n/resolve/main/%2e%2e/x',
    '/o/n/resolve/main/%2E%2E%2Fx',
    '/o/n/resolve/main/a%2F..%2F..%2Fx',
    '/o/n/resolve/main/%2Fetc%2Fpasswd',
    '/o/n/resolve/main//etc/passwd',
    '/o/n/resolve/main/a%00b',
    '/o/n/resolve/main/a%5C..%5Cb',
    '/o/n/resolve/main/%zz',
    '/o/n/resolve/main/',
    '/../n/resolve/main/x',
    '/%2e%2e/n/resolve/main/x',
    '/api/models/%2e%2e/n',
    '/api/models/o/n/tree/main/..',
    '/api/models/o/n/tree/main/%2e%2e%2f%2e%2e',
    '/api/models/o/n/revision/main/extra',
    '/api/models/o/n/other',
    '/api/users/o/n',
    'o/n/resolve/main/x',
  ])('%s is no route', (target) => {
    expect(parseTarget(target).route).toBeUndefined()
  })

  test('the query is kept apart from the path', () => {
    expect(parseTarget('/api/models/o/n/tree/main?recursive=true&cursor=abc').query.get('cursor')).toBe('abc')
  })
})

describe('readRange', () => {
  test.each([
    [undefined, 100, { kind: 'whole' }],
    ['bytes=0-9', 100, { kind: 'part', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'part', start: 90, end: 99 }],
    ['bytes=90-500', 100, { kind: 'part', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'part', start: 90, end: 99 }],
    ['bytes=-500', 100, { kind: 'part', start: 0, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', 100, { kind: 'whole' }],
    ['items=0-1', 100, { kind: 'whole' }],
  ])('%s of %i bytes', (header, size, answer) => {
    expect(readRange(header, size)).toEqual(answer)
  })
})

describe('tree entries', () => {
  const sha = 'a'.repeat(64)
  const files = [
    { path: 'config.json', etag: 'b'.repeat(40), size: 2 },
    { path: 'sub/deep/w.bin', etag: sha, size: 10 },
    { path: 'sub/x.txt', etag: 'c'.repeat(40), size: 3 },
  ]

  test('a 64-hex blob is LFS, its oid the git sha1 of its pointer; a 40-hex blob is its own oid', () => {
    expect(fileEntry(files[0])).toEqual({ type: 'file', oid: 'b'.repeat(40), size: 2, path: 'config.json' })
    const lfs = fileEntry(files[1])
    expect(lfs.lfs).toEqual({ oid: sha, size: 10, pointerSize: lfsPointer(sha, 10).length })
    expect(lfsPointer(sha, 10)).toBe(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha}\nsize 10\n`)
    expect(lfs.oid).toMatch(/^[0-9a-f]{40}$/)
  })

  test('folders appear once, sorted with the files; listing a folder, recursive or not', () => {
    const all = allEntries(files)
    expect(all.map((e) => `${e.type[0]} ${e.path}`)).toEqual(['f config.json', 'd sub', 'd sub/deep', 'f sub/deep/w.bin', 'f sub/x.txt'])
    expect(listFolder(all, '', false)?.map((e) => e.path)).toEqual(['config.json', 'sub'])
    expect(listFolder(all, 'sub', false)?.map((e) => e.path)).toEqual(['sub/deep', 'sub/x.txt'])
    expect(listFolder(all, 'sub', true)?.map((e) => e.path)).toEqual(['sub/deep', 'sub/deep/w.bin', 'sub/x.txt'])
    expect(listFolder(all, 'config.json', false)).toBeUndefined()
    expect(listFolder(all, 'nope', true)).toBeUndefined()
  })

  test('paths-info: existing paths in request order, each once', () => {
    const all = allEntries(files)
    expect(entriesFor(all, ['sub/x.txt', 'nope', 'sub/', 'sub/x.txt']).map((e) => e.path)).toEqual(['sub/x.txt', 'sub'])
  })

  test('pages and cursors', () => {
    const items = [1, 2, 3, 4, 5]
    expect(page(items, 0, 2)).toEqual({ items: [1, 2], next: 2 })
    expect(page(items, 4, 2)).toEqual({ items: [5], next: undefined })
    expect(decodeCursor(encodeCursor(1000))).toBe(1000)
    expect(decodeCursor('garbage')).toBeUndefined()
  })
})
