import path from 'node:path'
import { describe, test, expect } from 'vitest'
import { UnsafePathError } from '../../src/errors.js'
import { checkLocalDirPath, checkRepoPath, localDirConflict, safeJoin } from '../../src/repo/safe-path.js'

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
    ['.gitattributes', '.gitattributes'],
    ['.gitignore in a folder', 'sub/.gitignore'],
    ['a name starting with .git', '.github/workflows/x.yml'],
    ['a name ending with .git', 'foo.git/x'],
    ['git without the dot', 'git/config'],
    ['a longer short name', 'git~10/x'],
    ['.cache/huggingface (only --local-dir refuses it)', '.cache/huggingface/download/x.metadata'],
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
    // git's verify_path rules, and the names NTFS and HFS+ take for `.git`.
    ['.git folder', '.git/config', /\.git segment/],
    ['.git file', '.git', /\.git segment/],
    ['.git deeper', 'sub/.git/hooks/post-checkout', /\.git segment/],
    ['.GIT', '.GIT/config', /\.git segment/],
    ['.Git', 'a/.Git', /\.git segment/],
    ['NTFS trailing dot', '.git./config', /\.git segment/],
    ['NTFS trailing dots and spaces', '.git . ./config', /\.git segment/],
    ['NTFS stream', '.git::$INDEX_ALLOCATION/config', /\.git segment/],
    ['NTFS named stream', '.git:x', /\.git segment/],
    ['NTFS short name', 'git~1/config', /\.git segment/],
    ['NTFS short name, upper case', 'GIT~1/config', /\.git segment/],
    ['NTFS short name, trailing dot', 'git~1./config', /\.git segment/],
    ['HFS+ zero-width non-joiner', '.g\u200cit/config', /\.git segment/],
    ['HFS+ zero-width joiner', '.gi\u200dt/config', /\.git segment/],
    ['HFS+ byte order mark', '\ufeff.git/config', /\.git segment/],
    ['HFS+ bidi override', '.git\u202e/config', /\.git segment/],
    ['HFS+ ignorable, upper case', '.G\u206aIT/config', /\.git segment/],
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

describe('localDirConflict: the metadata folder of a --local-dir', () => {
  test.each([
    '.cache/huggingface/download/model.bin.metadata',
    '.cache/huggingface/download/model.bin.0123abcd.hfx-host-1.partial',
    '.cache/huggingface/.gitignore',
    '.cache/huggingface',
    '.Cache/HuggingFace/x',
    '.CACHE/HUGGINGFACE/x',
    '.cache./huggingface /x',
    '.cache::$INDEX_ALLOCATION/huggingface/x',
    'cache~1/huggin~1/download/x',
    '.c\u200cache/hugging\u200dface/x',
  ])('refuses %j', (p) => {
    expect(localDirConflict(p)).toMatch(/inside \.cache\/huggingface\//)
    expect(() => checkLocalDirPath(p)).toThrow(UnsafePathError)
  })

  test.each(['.cache/other/x', '.cache', 'sub/.cache/huggingface/x', 'huggingface/x', '.cache/huggingface2/x', 'config.json'])('accepts %j', (p) => {
    expect(localDirConflict(p)).toBeUndefined()
    expect(checkLocalDirPath(p)).toBe(p)
  })

  test('still applies the rules for every path', () => {
    expect(() => checkLocalDirPath('.git/config')).toThrow(/\.git segment/)
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

  test.each(['../escape', 'a/../../escape', '/abs', 'a\\..\\..\\x', '', '.git/config', 'GIT~1/hooks/x'])('refuses %j', (p) => {
    expect(() => safeJoin(root, p)).toThrow(UnsafePathError)
  })
})
