import path from 'node:path'
import { describe, test, expect } from 'vitest'
import { UnsafePathError } from '../../src/errors.js'
import {
  blobPath,
  formatLocalDirMetadata,
  localDirMetadataPath,
  lockPath,
  parseLocalDirMetadata,
  refPath,
  repoCache,
  repoFolderName,
  snapshotDir,
  snapshotPath,
  symlinkTarget,
} from '../../src/cache/layout.js'
import type { RepoType } from '../../src/repo/repo-ref.js'

const CACHE = path.join(path.sep, 'home', 'u', '.cache', 'huggingface', 'hub')
const COMMIT = 'a'.repeat(40)
const SHA256 = 'b'.repeat(64)
const j = (...parts: string[]) => path.join(...parts)

describe('repoFolderName', () => {
  test.each<[RepoType, string, string]>([
    ['model', 'org/name', 'models--org--name'],
    ['model', 'gpt2', 'models--gpt2'],
    ['dataset', 'org/name', 'datasets--org--name'],
    ['space', 'org/app', 'spaces--org--app'],
  ])('%s %s -> %s', (type, id, folder) => {
    expect(repoFolderName({ type, id })).toBe(folder)
  })
})

describe('repo cache paths', () => {
  const rc = repoCache(CACHE, { type: 'model', id: 'org/name' })
  const repo = j(CACHE, 'models--org--name')

  test('folders', () => {
    expect(rc).toEqual({
      repoDir: repo,
      blobsDir: j(repo, 'blobs'),
      snapshotsDir: j(repo, 'snapshots'),
      refsDir: j(repo, 'refs'),
      locksDir: j(CACHE, '.locks', 'models--org--name'),
      noExistDir: j(repo, '.no_exist'),
    })
  })

  test.each([
    ['blob', blobPath(rc, SHA256), j(repo, 'blobs', SHA256)],
    ['lock', lockPath(rc, SHA256), j(CACHE, '.locks', 'models--org--name', `${SHA256}.lock`)],
    ['snapshot dir', snapshotDir(rc, COMMIT), j(repo, 'snapshots', COMMIT)],
    ['snapshot file', snapshotPath(rc, COMMIT, 'config.json'), j(repo, 'snapshots', COMMIT, 'config.json')],
    ['nested snapshot file', snapshotPath(rc, COMMIT, 'original/params.json'), j(repo, 'snapshots', COMMIT, 'original', 'params.json')],
    ['ref', refPath(rc, 'main'), j(repo, 'refs', 'main')],
    ['nested PR ref', refPath(rc, 'refs/pr/1'), j(repo, 'refs', 'refs', 'pr', '1')],
    ['convert ref', refPath(rc, 'refs/convert/parquet'), j(repo, 'refs', 'refs', 'convert', 'parquet')],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected)
  })

  test.each([
    ['a traversing snapshot path', () => snapshotPath(rc, COMMIT, '../../x')],
    ['an absolute snapshot path', () => snapshotPath(rc, COMMIT, '/etc/passwd')],
    ['a traversing etag', () => blobPath(rc, '../../../x')],
    ['an etag with a slash', () => blobPath(rc, 'a/b')],
    ['an empty etag', () => blobPath(rc, '')],
    ['a dot etag', () => lockPath(rc, '..')],
    ['a traversing commit', () => snapshotDir(rc, '..')],
    ['a traversing revision', () => refPath(rc, '../../x')],
  ])('refuses %s', (_name, fn) => {
    expect(fn).toThrow(UnsafePathError)
  })
})

describe('symlinkTarget', () => {
  test.each([
    ['config.json', ['..', '..', 'blobs', 'E']],
    ['a/b.json', ['..', '..', '..', 'blobs', 'E']],
    ['a/b/c/d.bin', ['..', '..', '..', '..', '..', 'blobs', 'E']],
  ])('%s', (repoPath, parts) => {
    expect(symlinkTarget(repoPath, 'E')).toBe(path.join(...parts))
  })

  test('resolves from the snapshot file to the blob', () => {
    const rc = repoCache(CACHE, { type: 'dataset', id: 'org/data' })
    const file = snapshotPath(rc, COMMIT, 'x/y/z.parquet')
    expect(path.resolve(path.dirname(file), symlinkTarget('x/y/z.parquet', SHA256))).toBe(blobPath(rc, SHA256))
  })
})

describe('local-dir metadata', () => {
  test('path', () => {
    expect(localDirMetadataPath(j(path.sep, 'out'), 'a/b.json')).toBe(
      j(path.sep, 'out', '.cache', 'huggingface', 'download', 'a', 'b.json.metadata'),
    )
    expect(() => localDirMetadataPath(j(path.sep, 'out'), '../x')).toThrow(UnsafePathError)
  })

  test('format matches huggingface_hub (commit, etag, time.time())', () => {
    expect(formatLocalDirMetadata({ commit: COMMIT, etag: SHA256, timestamp: 1712656091.123 })).toBe(
      `${COMMIT}\n${SHA256}\n1712656091.123\n`,
    )
  })

  test.each([1712656091.123, 1712656091, 0.5])('round trip %s', (timestamp) => {
    const m = { commit: COMMIT, etag: SHA256, timestamp }
    expect(parseLocalDirMetadata(formatLocalDirMetadata(m))).toEqual(m)
  })

  test.each<[string, string, ReturnType<typeof parseLocalDirMetadata>]>([
    ['written by Python', `${COMMIT}\n${SHA256}\n1712656091.1234567\n`, { commit: COMMIT, etag: SHA256, timestamp: 1712656091.1234567 }],
    ['CRLF line ends', `${COMMIT}\r\n${SHA256}\r\n1712656091\r\n`, { commit: COMMIT, etag: SHA256, timestamp: 1712656091 }],
    ['no final newline', `${COMMIT}\n${SHA256}\n17`, { commit: COMMIT, etag: SHA256, timestamp: 17 }],
    ['empty', '', undefined],
    ['two lines', `${COMMIT}\n${SHA256}\n`, undefined],
    ['empty etag', `${COMMIT}\n\n1712656091\n`, undefined],
    ['timestamp not a number', `${COMMIT}\n${SHA256}\nyesterday\n`, undefined],
    ['timestamp NaN', `${COMMIT}\n${SHA256}\nnan\n`, undefined],
    ['negative timestamp', `${COMMIT}\n${SHA256}\n-1\n`, undefined],
  ])('parse: %s', (_name, text, expected) => {
    expect(parseLocalDirMetadata(text)).toEqual(expected)
  })
})
