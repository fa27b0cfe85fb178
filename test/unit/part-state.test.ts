// How a partial file left by an earlier run is judged, with the sidecar that records its done ranges: the
// decision table of PartState.open (what a resume keeps) and partialBytes (what a plan says it will keep).
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { sidecarName } from '../../src/cache/hfx-names.js'
import { PartState, partialBytes } from '../../src/pull/part-state.js'

const ETAG = 'e'.repeat(64)
const SIZE = 1000

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hfx-part-state-'))
  file = path.join(dir, `${ETAG}.hfx-0123abcd-1.partial`)
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const sidecar = (done: { start: number; end: number }[], over: object = {}) => JSON.stringify({ version: 1, etag: ETAG, size: SIZE, done, ...over })
const exists = (p: string) => stat(p).then(() => true, () => false)

interface Row {
  name: string
  /** Bytes in the partial file, or none. */
  length?: number
  /** The sidecar's content, a folder in its place, or none. */
  side?: string | 'folder'
  done: { start: number; end: number }[]
  repaired?: RegExp
  /** Whether the partial file is still there after open. */
  fileKept: boolean
  /** What partialBytes reports beforehand (a plan, a dry run). */
  planned: number
}

const table: Row[] = [
  { name: 'nothing on disk: a fresh start', done: [], fileKept: false, planned: 0 },
  { name: 'a sidecar that fits: its ranges are kept', length: 600, side: sidecar([{ start: 0, end: 200 }, { start: 400, end: 600 }]), done: [{ start: 0, end: 200 }, { start: 400, end: 600 }], fileKept: true, planned: 400 },
  { name: 'a file shorter than its sidecar says: the ranges are clipped to the file, the rest refetched', length: 300, side: sidecar([{ start: 0, end: 600 }]), done: [{ start: 0, end: 300 }], repaired: /shorter than its record of done ranges; fetching the missing bytes/, fileKept: true, planned: 300 },
  { name: 'no sidecar (huggingface_hub writes in order): the length is a done prefix', length: 700, done: [{ start: 0, end: 700 }], fileKept: true, planned: 700 },
  { name: 'no sidecar, a file longer than the blob: only the size counts', length: 1500, done: [{ start: 0, end: SIZE }], fileKept: true, planned: SIZE },
  { name: 'a corrupt sidecar: nothing on disk is trusted', length: 500, side: '{not json', done: [], repaired: /does not match its record; fetching the file again/, fileKept: false, planned: 0 },
  { name: 'a sidecar for another etag: nothing is trusted', length: 500, side: sidecar([{ start: 0, end: 500 }], { etag: 'f'.repeat(64) }), done: [], repaired: /does not match/, fileKept: false, planned: 0 },
  { name: 'a sidecar for another size: nothing is trusted', length: 500, side: sidecar([{ start: 0, end: 500 }], { size: 2000 }), done: [], repaired: /does not match/, fileKept: false, planned: 0 },
  { name: 'a sidecar naming bytes past the blob size: nothing is trusted', length: 500, side: sidecar([{ start: 0, end: SIZE + 1 }]), done: [], repaired: /does not match/, fileKept: false, planned: 0 },
  { name: 'a sidecar of another version: nothing is trusted', length: 500, side: sidecar([{ start: 0, end: 500 }], { version: 2 }), done: [], repaired: /does not match/, fileKept: false, planned: 0 },
  { name: 'a sidecar that is a folder: removed with the data', length: 500, side: 'folder', done: [], repaired: /does not match/, fileKept: false, planned: 500 },
  { name: 'an empty file with a sidecar that does not fit: no repair to report', length: 0, side: '{}', done: [], fileKept: false, planned: 0 },
]

describe('a leftover partial and its sidecar', () => {
  test.each(table)('$name', async (row) => {
    if (row.length !== undefined) await writeFile(file, Buffer.alloc(row.length, 7))
    if (row.side === 'folder') await mkdir(sidecarName(file))
    else if (row.side !== undefined) await writeFile(sidecarName(file), row.side)

    expect(await partialBytes(file, ETAG, SIZE)).toBe(row.planned)

    const state = await PartState.open(file, ETAG, SIZE, { sidecar: true })
    try {
      expect(state.done).toEqual(row.done)
      if (row.repaired) expect(state.repaired).toMatch(row.repaired)
      else expect(state.repaired).toBeUndefined()
      expect(await exists(file)).toBe(row.fileKept)
    } finally {
      await state.close()
    }
    // Whatever was judged, the sidecar now on disk is a file that describes exactly what is kept.
    expect(await partialBytes(file, ETAG, SIZE)).toBe(row.fileKept ? row.done.reduce((n, r) => n + r.end - r.start, 0) : 0)
  })
})
