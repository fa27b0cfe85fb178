import { describe, expect, test } from 'vitest'
import { localChange } from '../../src/pull/local-change.js'

const downloadedAt = { etag: 'e'.repeat(64), timestamp: 1_700_000_000 }
const at = (seconds: number) => seconds * 1000

describe('localChange: what a --local-dir pull is about to replace', () => {
  test.each([
    ['nothing there', undefined, downloadedAt, 'none'],
    ['a download left untouched: an update', { size: 5, mtimeMs: at(1_700_000_000) }, downloadedAt, 'download'],
    ['a download, mtime within the one-second slack', { size: 5, mtimeMs: at(1_700_000_001) }, downloadedAt, 'download'],
    ['modified after its download, another size', { size: 5, mtimeMs: at(1_700_000_100) }, downloadedAt, 'edited'],
    ['modified after its download, the arriving size', { size: 9, mtimeMs: at(1_700_000_100) }, downloadedAt, 'compare'],
    ['no download record, another size', { size: 5, mtimeMs: at(1) }, undefined, 'edited'],
    ['no download record, the arriving size', { size: 9, mtimeMs: at(1) }, undefined, 'compare'],
  ] as const)('%s → %s', (_what, file, record, want) => {
    expect(localChange(file, record, 9)).toBe(want)
  })
})
