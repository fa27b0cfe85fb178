import { expect, test } from 'vitest'
import type { TreeFile } from '../../src/hub/hub.js'
import { type FileState, planPull } from '../../src/pull/plan.js'
import { PullTally } from '../../src/report/tally.js'

const file = (path: string, size: number, seed: string): TreeFile => ({ type: 'file', path, size, oid: seed.repeat(40), lfs: { oid: seed.repeat(64), size } })
const tree = [file('cached.bin', 1_000, 'a'), file('fresh.bin', 4_000, 'b'), file('half.bin', 2_000, 'c'), file('same.bin', 4_000, 'b')]
const states: Record<string, FileState> = {
  'cached.bin': { complete: true, linked: true, partial: 0 },
  'half.bin': { complete: false, linked: false, partial: 500 },
}
const plan = planPull(tree, (f) => states[f.path] ?? { complete: false, linked: false, partial: 0 })
const byPath = (p: string) => plan.files.find((f) => f.path === p)!

function planned(): PullTally {
  const t = new PullTally()
  t.planned(plan)
  return t
}

test('the plan sets the totals: cached files and bytes apart, a duplicate blob fetched once, partials kept', () => {
  expect(planned().snapshot()).toEqual({
    files: { total: 4, cached: 2, toFetch: 2, done: 0, failed: 0 },
    bytes: { total: 11_000, cached: 1_000, toFetch: 6_000, toDownload: 5_500, downloaded: 0, fetchedOnDisk: 500 },
    inFlight: [],
  })
})

test('a file in flight counts from where its resume started, and is gone from the list once done', () => {
  const t = planned()
  t.fileStarted(byPath('half.bin'), 500)
  t.fileStarted(byPath('fresh.bin'), 0)
  t.progress(byPath('fresh.bin'), 1_000)
  t.progress(byPath('half.bin'), 300)
  t.progress(byPath('fresh.bin'), 1_000)
  expect(t.snapshot().inFlight).toEqual([
    { file: byPath('half.bin'), bytesDone: 800 },
    { file: byPath('fresh.bin'), bytesDone: 2_000 },
  ])
  expect(t.snapshot().bytes).toMatchObject({ downloaded: 2_300, fetchedOnDisk: 2_800 })
  expect(t.bytesOf('fresh.bin')).toBe(2_000)

  t.progress(byPath('fresh.bin'), 2_000)
  t.fileDone(byPath('fresh.bin'))
  const s = t.snapshot()
  expect(s.inFlight.map((x) => x.file.path)).toEqual(['half.bin'])
  expect(s.files).toMatchObject({ done: 1, failed: 0 })
  expect(s.bytes).toMatchObject({ downloaded: 4_300, fetchedOnDisk: 4_800 })
})

test('a resume smaller than planned (the partial changed since) restarts the file count, not the transfer count', () => {
  const t = planned()
  t.fileStarted(byPath('half.bin'), 0)
  expect(t.snapshot().bytes).toMatchObject({ fetchedOnDisk: 0, downloaded: 0 })
  t.progress(byPath('half.bin'), 2_000)
  expect(t.bytesOf('half.bin')).toBe(2_000)
})

test('a file finished by another process counts as done at its full size without having started', () => {
  const t = planned()
  t.fileDone(byPath('fresh.bin'))
  const s = t.snapshot()
  expect(s.files.done).toBe(1)
  expect(s.bytes).toMatchObject({ downloaded: 0, fetchedOnDisk: 4_500 })
  expect(s.inFlight).toEqual([])
})

test('a failed file leaves the flight, counts as failed, and keeps the bytes it got', () => {
  const t = planned()
  t.fileStarted(byPath('fresh.bin'), 0)
  t.progress(byPath('fresh.bin'), 1_500)
  t.fileFailed(byPath('fresh.bin'))
  const s = t.snapshot()
  expect(s.files).toMatchObject({ done: 0, failed: 1 })
  expect(s.inFlight).toEqual([])
  expect(s.bytes).toMatchObject({ downloaded: 1_500, fetchedOnDisk: 2_000 })
})
