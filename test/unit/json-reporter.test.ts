import { expect, test } from 'vitest'
import { HttpStatusError } from '../../src/errors.js'
import type { TreeFile } from '../../src/hub/hub.js'
import { planPull } from '../../src/pull/plan.js'
import { JsonReporter } from '../../src/report/json.js'

const tree: TreeFile[] = [{ type: 'file', path: 'w.bin', size: 10_000_000, oid: 'a'.repeat(40), lfs: { oid: 'b'.repeat(64), size: 10_000_000 } }]
const plan = planPull(tree, () => ({ complete: false, linked: false, partial: 0 }))
const f = plan.files[0]

function reporter() {
  let now = Date.parse('2026-01-01T00:00:00Z')
  const lines: Record<string, unknown>[] = []
  const r = new JsonReporter((l) => lines.push(JSON.parse(l)), () => now)
  return { r, lines, tick: (ms: number) => (now += ms) }
}

test('progress is one event per second at most, however often bytes arrive', () => {
  const { r, lines, tick } = reporter()
  r.planned({ repo: 'acme/x', type: 'model', revision: 'main', commit: 'c'.repeat(40), root: '/snap', plan, dryRun: false })
  r.fileStarted(f, 0)
  for (let i = 0; i < 100; i++) {
    tick(50) // 5 seconds in all, 20 calls a second
    r.progress(f, 100_000)
  }
  const progress = lines.filter((e) => e.event === 'progress')
  expect(progress).toHaveLength(5)
  expect(progress.at(-1)).toMatchObject({ bytesDownloaded: 10_000_000, bytesToDownload: 10_000_000, inFlight: [{ path: 'w.bin', bytesDone: 10_000_000 }] })
  expect(lines[0]).toMatchObject({ event: 'plan', time: '2026-01-01T00:00:00.000Z' })
})

test('retry events carry the kind and file the engine set, and its sentence as `reason`; close(error) ends the stream', () => {
  const { r, lines } = reporter()
  r.planned({ repo: 'acme/x', type: 'model', revision: 'main', commit: 'c'.repeat(40), root: '/snap', plan, dryRun: false })
  r.retrying({ kind: 'server_error', path: 'w.bin', status: 503, attempt: 2, maxAttempts: 6, delayMs: 1234.5, detail: 'w.bin: HTTP 503' })
  r.retrying({ kind: 'connection', attempt: 1, maxAttempts: 5, delayMs: 0, detail: 'acme/x: ECONNRESET' })
  r.close(new HttpStatusError(503, 'https://cdn/x'))
  r.close()
  expect(lines.slice(1)).toMatchObject([
    { event: 'retry', path: 'w.bin', kind: 'server_error', reason: 'w.bin: HTTP 503', attempt: 2, maxAttempts: 6, waitMs: 1235 },
    { event: 'retry', path: null, kind: 'connection', reason: 'acme/x: ECONNRESET' },
    { event: 'error', code: 'HTTP_STATUS', exitCode: 5, hint: expect.any(String) },
  ])
  expect(lines).toHaveLength(4)
})
