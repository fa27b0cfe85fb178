import path from 'node:path'
import { describe, test, expect } from 'vitest'
import { UnsafePathError } from '../../src/errors.js'
import { checkRepoPath, safeJoin } from '../../src/repo/safe-path.js'

describe('checkRepoPath accepts', () => {
  test.each<[string, string]>([
    ['a file', 'config.json'],
    ['nested folders', 'a/b/c.safetensors'],
    ['a dotfile', '.gitattributes'],
    ['a dotfile in a folder', 'sub/.hidden'],
    ['spaces and unicode', 'with space/é 日本.json'],
    ['three dots', '...'],
    ['a name starting with ..', '..foo'],
    ['a name ending with ..', 'foo..'],
    ['a ... folder', 'a/.../b'],
    ['a colon after the first two characters', 'ab:c.txt'],
    ['a 255-byte name', 'x'.repeat(255)],
    ['a 4095-character path', `${'a/'.repeat(2047)}b`],
  ])('%s', (_kind, p) => {
    expect(checkRepoPath(p)).toBe(p)
  })
})

describe('checkRepoPath refuses', () => {
  test.each<[string, string, RegExp]>([
    ['empty', '', /empty path/],
    ['NUL', 'config.json\0.txt', /NUL/],
    ['control char', 'a\nb', /control/],
    ['DEL', 'a\x7fb', /control/],
    ['C1 control', 'a\u0085b', /control/],
    ['backslash', 'a\\b', /backslash/],
    ['backslash traversal', '..\\..\\x', /backslash/],
    ['absolute', '/etc/passwd', /absolute/],
    ['drive letter', 'C:/Windows/x', /drive letter/],
    ['drive-relative', 'c:foo', /drive letter/],
    ['single-letter name with colon', 'x:y.txt', /drive letter/],
    ['parent segment', '../x', /'\.\.' segment/],
    ['inner parent', 'a/../../x', /'\.\.' segment/],
    ['trailing parent', 'a/..', /'\.\.' segment/],
    ['dot segment', './x', /'\.' segment/],
    ['inner dot', 'a/./b', /'\.' segment/],
    ['empty segment', 'a//b', /empty segment/],
    ['trailing slash', 'a/', /empty segment/],
    ['long path', `${'a/'.repeat(2048)}b`, /longer than 4096/],
    ['long path of long names', Array(20).fill('x'.repeat(250)).join('/'), /longer than 4096/],
    ['long segment', 'x'.repeat(256), /longer than 255 bytes/],
    ['long multibyte segment', 'é'.repeat(128), /longer than 255 bytes/],
  ])('%s', (_kind, p, reason) => {
    let caught: unknown
    try {
      checkRepoPath(p)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(UnsafePathError)
    expect((caught as UnsafePathError).message).toMatch(reason)
    expect((caught as UnsafePathError).path).toBe(p)
  })
})

describe('safeJoin', () => {
  const root = path.join(path.sep, 'cache', 'snap')
  test.each([
    ['config.json', path.join(root, 'config.json')],
    ['a/b/c.json', path.join(root, 'a', 'b', 'c.json')],
    ['..foo', path.join(root, '..foo')],
  ])('%s', (p, expected) => {
    expect(safeJoin(root, p)).toBe(expected)
    expect(safeJoin(`${root}${path.sep}`, p)).toBe(expected)
  })

  test('a root of / still joins', () => {
    expect(safeJoin(path.sep, 'x')).toBe(path.join(path.sep, 'x'))
  })

  test.each(['../escape', 'a/../../escape', '/abs', 'a\\..\\..\\x', ''])('refuses %j', (p) => {
    expect(() => safeJoin(root, p)).toThrow(UnsafePathError)
  })
})
