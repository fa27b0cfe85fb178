import { describe, expect, test } from 'vitest'
import type { TreeFile } from '../../src/hub/hub.js'
import { planPull } from '../../src/pull/plan.js'
import { planText } from '../../src/report/plan-text.js'
import { planView } from '../../src/report/plan-view.js'
import { summaryLine } from '../../src/report/summary-line.js'

const sha = (c: string) => c.repeat(64)
const lfs = (path: string, c: string, size: number): TreeFile => ({ type: 'file', path, size, oid: c.repeat(40), lfs: { oid: sha(c), size } })

const plan = planPull([lfs('a.bin', 'a', 1000), lfs('b.bin', 'b', 2000), lfs('c.bin', 'c', 3000), lfs('copy/c.bin', 'c', 3000)], (_f, etag) =>
  etag === sha('a') ? { complete: true, linked: true, partial: 0 } : etag === sha('b') ? { complete: false, linked: false, partial: 500 } : { complete: false, linked: false, partial: 0 },
)

describe('the plan as printed', () => {
  test('each file: status and the bytes it adds; the sum is the plan’s downloadBytes', () => {
    const view = planView(plan)
    expect(view.map((f) => [f.path, f.status, f.partialBytes, f.downloadBytes])).toEqual([
      ['a.bin', 'cached', 0, 0],
      ['b.bin', 'partial', 500, 1500],
      ['c.bin', 'download', 0, 3000],
      ['copy/c.bin', 'duplicate', 0, 0],
    ])
    expect(view.reduce((n, f) => n + f.downloadBytes, 0)).toBe(plan.downloadBytes)
  })

  test('dry-run text', () => {
    const text = planText({ repo: 'acme/x', type: 'model', revision: 'main', commit: 'f'.repeat(40), root: '/c/snap', plan, freeBytes: 5e9, dryRun: true })
    expect(text).toEqual([
      `acme/x  main → ${'f'.repeat(40)} (dry run: nothing downloaded)`,
      '  cached     1.00 kB  a.bin',
      '  partial    2.00 kB  b.bin  (500 B kept from an earlier run, 1.50 kB to go)',
      '  download   3.00 kB  c.bin',
      '  duplicate  3.00 kB  copy/c.bin  (same content as another file, downloaded once)',
      '4 files, 9.00 kB: 2 to download (4.50 kB), 1.00 kB already present, 5.00 GB free',
      'bytes to download: 4500',
      'into: /c/snap',
    ])
  })

  test('summary line', () => {
    const s = { repo: 'acme/x', revision: 'main', commit: 'abcdef0123456789'.repeat(3).slice(0, 40), path: '/c/snap', files: 4, downloadedBytes: 4_500_000, reusedBytes: 1000, durationMs: 3000, failed: [], replaced: [] }
    expect(summaryLine(s)).toBe('complete: 4 files, 4.50 MB downloaded, 1.00 kB already present, 1.50 MB/s, 3.0s, commit abcdef012345 → /c/snap')
    expect(summaryLine({ ...s, files: 1 }, false)).toBe('complete: 1 file, 4.50 MB downloaded, 1.00 kB already present, 1.50 MB/s, 3.0s, commit abcdef012345')
    // Nothing downloaded: no "0 B/s".
    expect(summaryLine({ ...s, downloadedBytes: 0, reusedBytes: 1_990_000, files: 8 })).toBe('up to date: 8 files, 1.99 MB, commit abcdef012345 → /c/snap')
    expect(summaryLine({ ...s, failed: [{ path: 'b.bin', error: 'x' }] })).toMatch(/^incomplete: 4 files \(1 failed\), /)
  })
})
