// The lockfile's pure parts: the layout it is written in, the strict reader, the diff and the cache key.
import { describe, expect, test } from 'vitest'
import { EXIT, LockfileError } from '../../src/errors.js'
import { lockCacheKey } from '../../src/lock/cache-key.js'
import { diffLocks } from '../../src/lock/diff.js'
import { readJsonTree } from '../../src/lock/json-tree.js'
import { lockHint, putRepo, type LockedRepo, type Lockfile } from '../../src/lock/lockfile.js'
import { parseLock } from '../../src/lock/parse.js'
import { serializeLock } from '../../src/lock/serialize.js'
import { thrown } from '../helpers/thrown.js'

const C1 = '1'.repeat(40)
const C2 = '2'.repeat(40)
const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)
const OID = 'c'.repeat(40)

function repo(over: Partial<LockedRepo> = {}): LockedRepo {
  return {
    hub: 'huggingface',
    type: 'model',
    id: 'acme/tiny',
    revision: 'main',
    commit: C1,
    include: [],
    exclude: [],
    files: [
      { path: 'model.safetensors', size: 3145728, sha256: SHA_A },
      { path: 'config.json', size: 27, gitOid: OID },
    ],
    ...over,
  }
}
const lockOf = (...repos: LockedRepo[]): Lockfile => ({ version: 1, repos })

describe('serializeLock', () => {
  test('sorted repos and files, fixed field order, one file a line', () => {
    const text = serializeLock(lockOf(repo(), repo({ type: 'dataset', id: 'acme/rows', include: ['*.jsonl'], files: [{ path: 'a.jsonl', size: 2, gitOid: OID }] })))
    expect(text).toBe(`{
  "version": 1,
  "repos": [
    {
      "hub": "huggingface",
      "type": "dataset",
      "id": "acme/rows",
      "revision": "main",
      "commit": "${C1}",
      "include": ["*.jsonl"],
      "exclude": [],
      "files": [
        {"path":"a.jsonl","size":2,"gitOid":"${OID}"}
      ]
    },
    {
      "hub": "huggingface",
      "type": "model",
      "id": "acme/tiny",
      "revision": "main",
      "commit": "${C1}",
      "include": [],
      "exclude": [],
      "files": [
        {"path":"config.json","size":27,"gitOid":"${OID}"},
        {"path":"model.safetensors","size":3145728,"sha256":"${SHA_A}"}
      ]
    }
  ]
}
`)
  })

  test('is valid JSON that parses back to the same lock, whatever the paths hold', () => {
    const odd = repo({ files: [{ path: 'dir/"quoted" é 日本.json', size: 0, gitOid: OID }] })
    const text = serializeLock(lockOf(odd))
    expect(JSON.parse(text).repos[0].files[0].path).toBe('dir/"quoted" é 日本.json')
    expect(parseLock(text, 'hfx.lock')).toEqual(lockOf(odd))
  })

  test('an empty lock', () => {
    expect(serializeLock(lockOf())).toBe('{\n  "version": 1,\n  "repos": []\n}\n')
    expect(parseLock(serializeLock(lockOf()), 'x')).toEqual(lockOf())
  })
})

describe('parseLock refuses, naming the line and field', () => {
  const good = serializeLock(lockOf(repo()))
  const lines = good.split('\n')
  const edit = (find: string, replace: string) => {
    const i = lines.findIndex((l) => l.includes(find))
    const copy = [...lines]
    copy[i] = copy[i]!.replace(find, replace)
    return { text: copy.join('\n'), line: i + 1 }
  }

  test.each<[string, string, string, RegExp]>([
    ['a short commit', `"commit": "${C1}"`, '"commit": "abc123"', /repos\[0\]\.commit must be a full commit sha/],
    ['an upper-case sha256', SHA_A, SHA_A.toUpperCase(), /files\[1\]\.sha256 must be a sha256/],
    ['a path leaving the folder', '"path":"config.json"', '"path":"../../.bashrc"', /files\[0\]\.path is not a path hfx will write \(has a '\.\.' segment\)/],
    ['an absolute path', '"path":"config.json"', '"path":"/etc/passwd"', /absolute path/],
    ['a negative size', '"size":27', '"size":-1', /files\[0\]\.size must be a whole number/],
    ['a fractional size', '"size":27', '"size":2.5', /files\[0\]\.size must be a whole number/],
    ['a size as a string', '"size":27', '"size":"27"', /files\[0\]\.size must be a whole number/],
    ['an unknown field', '"size":27,', '"size":27,"url":"http://x",', /files\[0\]\.url is not a field hfx knows/],
    ['a key given twice', '"size":27,', '"size":27,"size":28,', /the key "size" appears twice/],
    ['two hashes', `"gitOid":"${OID}"`, `"gitOid":"${OID}","sha256":"${SHA_A}"`, /has both "sha256" and "gitOid"/],
    ['an unknown hub', '"hub": "huggingface"', '"hub": "github"', /repos\[0\]\.hub must be one of huggingface, modelscope/],
    ['an id with a revision in it', '"id": "acme/tiny"', '"id": "acme/tiny@v1"', /repos\[0\]\.id must be a plain org\/name/],
    ['an id with three parts', '"id": "acme/tiny"', '"id": "a/b/c"', /repos\[0\]\.id must be a repo id/],
    ['a revision with a space', '"revision": "main"', '"revision": "ma in"', /repos\[0\]\.revision must be a branch/],
    ['broken JSON', '"revision": "main",', '"revision": "main"', /is not valid JSON: expected '}', found "\\""/],
  ])('%s', (_what, find, replace, message) => {
    const { text, line } = edit(find, replace)
    const err = thrown(() => parseLock(text, 'my.lock'))
    expect(err).toBeInstanceOf(LockfileError)
    expect((err as LockfileError).exitCode).toBe(EXIT.usage)
    expect((err as Error).message).toMatch(message)
    // The line named is where the bad value is (broken JSON: where the parser noticed, the next line).
    expect((err as Error).message).toMatch(new RegExp(`^my\\.lock line (${line}|${line + 1}):`))
  })

  test('a missing field', () => {
    const text = good.replace('      "exclude": [],\n', '')
    expect(() => parseLock(text, 'hfx.lock')).toThrow(/^hfx\.lock line 4: repos\[0\] has no "exclude"\.$/)
  })

  test('a version this hfx does not read', () => {
    expect(() => parseLock(good.replace('"version": 1', '"version": 2'), 'hfx.lock')).toThrow(/line 2: version 2 is not one this hfx reads \(it reads version 1\)/)
  })

  test('a repo or a file listed twice', () => {
    const twice = JSON.stringify({ version: 1, repos: [JSON.parse(good).repos[0], JSON.parse(good).repos[0]] }, null, 2)
    expect(() => parseLock(twice, 'hfx.lock')).toThrow(/repeats acme\/tiny; a repo is locked once/)
    const files = good.replace(`{"path":"config.json"`, `{"path":"model.safetensors","size":1,"gitOid":"${OID}"},\n{"path":"config.json"`)
    expect(() => parseLock(files, 'hfx.lock')).toThrow(/repeats the path "model\.safetensors"/)
  })

  test('not JSON at all, nested without end, or trailing data', () => {
    expect(() => parseLock('', 'hfx.lock')).toThrow(/line 1: is not valid JSON: unexpected the end of the file/)
    expect(() => parseLock('['.repeat(100_000), 'hfx.lock')).toThrow(/nested more than 32 levels/)
    expect(() => parseLock(`${good}\n{}`, 'hfx.lock')).toThrow(/after the end of the document/)
  })

  test('the same lock in any layout reads the same', () => {
    const reformatted = JSON.stringify(JSON.parse(good))
    expect(parseLock(reformatted, 'x')).toEqual(parseLock(good, 'x'))
  })
})

describe('readJsonTree', () => {
  test('keeps the line of each value', () => {
    const tree = readJsonTree('{\n  "a": [\n    1,\n    "x"\n  ]\n}')
    expect(tree.kind).toBe('object')
    const a = tree.kind === 'object' ? tree.entries.get('a')! : undefined
    expect(a).toMatchObject({ kind: 'array', line: 2, items: [{ line: 3, value: 1 }, { line: 4, value: 'x' }] })
  })
})

describe('diffLocks', () => {
  test('the same lock: nothing', () => {
    expect(diffLocks(lockOf(repo()), lockOf(repo()))).toEqual([])
  })

  test('a moved revision, with its files added, removed and changed', () => {
    const after = repo({
      commit: C2,
      files: [
        { path: 'model.safetensors', size: 3145729, sha256: SHA_B },
        { path: 'tokenizer.json', size: 2000, gitOid: OID },
      ],
    })
    expect(diffLocks(lockOf(repo()), lockOf(after))).toEqual([
      `~ acme/tiny: main moved from ${C1} to ${C2}`,
      '    - config.json',
      `    ~ model.safetensors: size 3145728 → 3145729, sha256 ${SHA_A} → ${SHA_B}`,
      '    + tokenizer.json (2.00 kB)',
    ])
  })

  test('repos added and removed, named as a user types them', () => {
    const rows = repo({ type: 'dataset', id: 'acme/rows' })
    const ms = repo({ hub: 'modelscope', revision: 'master' })
    expect(diffLocks(lockOf(repo(), rows), lockOf(ms))).toEqual([
      '- datasets/acme/rows@main',
      '- acme/tiny@main',
      `+ ms://acme/tiny@master at ${C1} (2 files)`,
    ])
  })

  test('a new requested revision and selection', () => {
    expect(diffLocks(lockOf(repo()), lockOf(repo({ revision: 'v2', include: ['*.json'] })))).toEqual(['~ acme/tiny: revision main → v2; selection changed'])
  })
})

describe('putRepo', () => {
  test('replaces the entry for the same hub, type and id, and keeps the others', () => {
    const lock = lockOf(repo(), repo({ type: 'dataset' }))
    const next = putRepo(lock, repo({ commit: C2 }))
    expect(next.repos.map((r) => [r.type, r.commit])).toEqual([
      ['dataset', C1],
      ['model', C2],
    ])
  })
})

describe('lockCacheKey', () => {
  const key = lockCacheKey(lockOf(repo(), repo({ type: 'dataset' })))

  test('hfx- and 16 hex digits, the same for the same content in any order or layout', () => {
    expect(key).toMatch(/^hfx-[0-9a-f]{16}$/)
    const shuffled = lockOf(repo({ type: 'dataset', files: [...repo().files].reverse() }), repo())
    expect(lockCacheKey(shuffled)).toBe(key)
    expect(lockCacheKey(parseLock(JSON.stringify(JSON.parse(serializeLock(shuffled))), 'x'))).toBe(key)
  })

  test('patterns that select the same files keep the key', () => {
    expect(lockCacheKey(lockOf(repo({ include: ['*'] }), repo({ type: 'dataset' })))).toBe(key)
  })

  test.each<[string, LockedRepo]>([
    ['another commit', repo({ commit: C2 })],
    ['another revision name', repo({ revision: 'v1' })],
    ['another hub', repo({ hub: 'modelscope' })],
    ['a file hash', repo({ files: [{ path: 'model.safetensors', size: 3145728, sha256: SHA_B }, repo().files[1]!] })],
    ['a file size', repo({ files: [{ path: 'model.safetensors', size: 1, sha256: SHA_A }, repo().files[1]!] })],
    ['a file less', repo({ files: [repo().files[0]!] })],
  ])('changes with %s', (_what, changed) => {
    expect(lockCacheKey(lockOf(changed, repo({ type: 'dataset' })))).not.toBe(key)
  })
})

describe('lockHint', () => {
  test('names the lock with --file only when it is not ./hfx.lock, quoted for the shell', () => {
    expect(lockHint('hfx.lock', '--update')).toBe('hfx lock --update')
    expect(lockHint('models.lock', 'add org/name')).toBe('hfx lock --file models.lock add org/name')
    expect(lockHint('my locks/a.lock', '--update')).toBe("hfx lock --file 'my locks/a.lock' --update")
  })
  test('a broken line in another lock points at that lock', () => {
    const e = thrown(() => parseLock('{"version": 2}', 'ci.lock'))
    expect(e).toBeInstanceOf(LockfileError)
    expect((e as LockfileError).hint).toContain('hfx lock --file ci.lock --update')
  })
})
