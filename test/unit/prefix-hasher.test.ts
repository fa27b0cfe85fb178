// The inline prefix hasher against a real file: whatever order the bytes land in, the digest is the hash of
// the file, and a file shorter than what was recorded as written fails its hash instead of throwing.
import { createHash } from 'node:crypto'
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { Expected } from '../../src/content-hash.js'
import { PrefixHasher } from '../../src/pull/prefix-hasher.js'
import { hashFromDisk, recordedOnDisk } from '../../src/pull/read-back.js'
import { bytes } from '../helpers/files.js'

const SIZE = 256 * 1024
const data = bytes(7, SIZE)
const expected: Expected = { algorithm: 'sha256', hex: createHash('sha256').update(data).digest('hex'), size: SIZE }

let dir: string
let fd: FileHandle

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hfx-prefix-hasher-'))
  fd = await open(path.join(dir, 'partial'), 'w+')
})
afterEach(async () => {
  await fd.close()
  await rm(dir, { recursive: true, force: true })
})

/** Writes bytes [start, end) of `data` at their offset, then tells the hasher, as fetch.ts does. */
async function land(h: PrefixHasher, start: number, end: number): Promise<void> {
  const buf = data.subarray(start, end)
  await fd.write(buf, 0, buf.length, start)
  h.wrote(start, [buf], buf.length)
}

describe('PrefixHasher', () => {
  test('bytes written in order hash to the file', async () => {
    const h = new PrefixHasher(fd, expected)
    for (let at = 0; at < SIZE; at += 10_000) await land(h, at, Math.min(SIZE, at + 10_000))
    expect(await h.digest()).toBe(expected.hex)
  })

  test('bytes written ahead of the frontier are read back once the gap fills', async () => {
    const h = new PrefixHasher(fd, expected)
    await land(h, SIZE / 2, SIZE)
    await land(h, SIZE / 4, SIZE / 2)
    await land(h, 0, SIZE / 4)
    expect(await h.digest()).toBe(expected.hex)
  })

  test('ranges kept from an earlier run are hashed from disk', async () => {
    await fd.write(data, 0, SIZE / 2, 0)
    const h = new PrefixHasher(fd, expected)
    h.kept([{ start: 0, end: SIZE / 2 }])
    await land(h, SIZE / 2, SIZE)
    expect(await h.digest()).toBe(expected.hex)
  })

  test('a reset starts over from byte 0 and forgets what was hashed', async () => {
    const h = new PrefixHasher(fd, expected)
    const wrong = Buffer.alloc(1000, 1)
    await fd.write(wrong, 0, wrong.length, 0)
    h.wrote(0, [wrong], wrong.length)
    await fd.truncate(0)
    await h.reset()
    await land(h, 0, SIZE)
    expect(await h.digest()).toBe(expected.hex)
  })

  test('a file shorter than its recorded ranges fails its hash (the bytes are fetched again), never throws', async () => {
    await fd.write(data, 0, SIZE / 2, 0)
    const h = new PrefixHasher(fd, expected)
    h.kept([{ start: 0, end: SIZE }]) // the record says the whole file is there; half of it is
    const hex = await h.digest()
    expect(hex).not.toBe(expected.hex)
    expect(hex).toBe(createHash('sha256').update(data.subarray(0, SIZE / 2)).digest('hex'))
  })

  test('a file that ends before the expected size fails its hash', async () => {
    const h = new PrefixHasher(fd, expected)
    await land(h, 0, SIZE - 1)
    expect(await h.digest()).not.toBe(expected.hex)
  })
})

// The rule both hashers share (the worker's hash-worker.ts reads through the same function).
describe('reading back a partial file', () => {
  test('stops where the file ends and says how far it got', async () => {
    await fd.write(data, 0, 1000, 0)
    const hash = createHash('sha256')
    expect(await hashFromDisk(fd, hash, Buffer.alloc(64), 0, 5000)).toBe(1000)
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data.subarray(0, 1000)).digest('hex'))
  })

  test('a record never vouches for bytes past the end of the file', () => {
    const ranges = [{ start: 0, end: 100 }, { start: 200, end: 400 }, { start: 500, end: 600 }]
    expect(recordedOnDisk(ranges, 300)).toEqual([{ start: 0, end: 100 }, { start: 200, end: 300 }])
    expect(recordedOnDisk(ranges, 1000)).toEqual(ranges)
    expect(recordedOnDisk(ranges, 0)).toEqual([])
  })
})
