import { expect, test } from 'vitest'
import type { PullSummary } from '../../src/pull/reporter.js'
import { markdownText, stepSummary } from '../../src/report/step-summary.js'

function pull(over: Partial<PullSummary>): PullSummary {
  return { repo: 'acme/x', revision: 'main', commit: 'c'.repeat(40), path: '/snap', files: 2, downloadedBytes: 2_000_000, reusedBytes: 1000, durationMs: 1500, failed: [], replaced: [], ...over }
}

test.each([
  ['acme/model', 'acme/model'],
  ['a|b', 'a\\|b'],
  ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
  ['[click](http://x)', '\\[click\\]\\(http://x\\)'],
  ['**bold** `code` _it_', '\\*\\*bold\\*\\* \\`code\\` \\_it\\_'],
  ['a\nb', 'a\\\\nb'], // a line break is shown as escapeControls shows it, then its backslash kept
  ['&amp;', '&amp;amp;'],
])('markdownText(%j) = %j', (text, md) => {
  expect(markdownText(text)).toBe(md)
})

test('one row per repo, a total when there are several, failures listed', () => {
  const md = stepSummary([
    pull({}),
    pull({ repo: 'acme/y', revision: 'v1.0', downloadedBytes: 0, files: 3, reusedBytes: 5000, durationMs: 10 }),
    pull({ repo: 'acme/z', failed: [{ path: 'w|1.bin', error: 'w|1.bin failed its sha256 check' }] }),
  ])
  const rows = md.split('\n').filter((l) => l.startsWith('|'))
  expect(rows).toHaveLength(2 + 3 + 1)
  expect(rows[2]).toBe('| acme/x | main | cccccccccccc | 2 | 2.00 MB | 1.00 kB | 1.5s | complete |')
  expect(rows[3]).toMatch(/^\| acme\/y \| v1\\\.0 \| cccccccccccc \| 3 \| 0 B \| 5\.00 kB \| [^|]+ \| up to date \|$/)
  expect(rows[4]).toMatch(/\| 1 failed \|$/)
  expect(rows[5]).toMatch(/^\| \*\*3 repos\*\* \| {2}\| {2}\| 7 \| 4\.00 MB \| 7\.00 kB \| /)
  expect(md).toContain('- acme/z: w\\|1\\.bin: w\\|1\\.bin failed its sha256 check')
})

test('an error that ended the run before any repo finished', () => {
  expect(stepSummary([], 'acme/<x> not found')).toBe('### hfx pull\n\n**Error:** acme/&lt;x&gt; not found\n\n')
})
