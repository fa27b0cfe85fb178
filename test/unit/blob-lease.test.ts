// The lease on real files (pull/blob-lease.ts): one holder at a time, a silent holder taken over, a beating
// one never, and no lease where none can be made.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { thisOwner } from '../../src/cache/partial-owner.js'
import { acquireBlobLease, type BlobLease } from '../../src/pull/blob-lease.js'
import { formatLease, parseLease } from '../../src/pull/lease-record.js'

let dir: string
let file: string
const signal = new AbortController().signal
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-lease-'))
  file = path.join(dir, 'e.hfx-lease')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const held = async (p: Promise<BlobLease | 'busy'>): Promise<BlobLease> => {
  const l = await p
  if (l === 'busy') throw new Error('busy')
  return l
}

describe('a blob lease', () => {
  test('one holder at a time: a second asker is told busy, and gets it once released', async () => {
    const a = await held(acquireBlobLease(file, { signal, staleMs: 30_000, wait: false }))
    expect(a.held).toBe(true)
    expect(parseLease(await readFile(file, 'utf8'))?.owner).toEqual(thisOwner())
    expect(await acquireBlobLease(file, { signal, staleMs: 30_000, wait: false })).toBe('busy')
    await a.release()
    const b = await held(acquireBlobLease(file, { signal, staleMs: 30_000, wait: false }))
    expect(b.held).toBe(true)
    await b.release()
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  test('a waiting asker waits while the holder beats, and takes it when released, not before', async () => {
    const a = await held(acquireBlobLease(file, { signal, staleMs: 1_000, wait: true }))
    const waits: boolean[] = []
    let got = false
    const second = held(acquireBlobLease(file, { signal, staleMs: 1_000, wait: true, onWait: (w) => waits.push(w.gaveUp) })).then((l) => {
      got = true
      return l
    })
    // Two and a half stale times of a holder that beats: never taken over.
    await new Promise((r) => setTimeout(r, 2_500))
    expect(got).toBe(false)
    expect(waits).toEqual([false])
    await a.release()
    const b = await second
    expect(b.held && b.waited).toBe(true)
    await b.release()
  })

  test('a lease of another host that stops beating is taken over', async () => {
    const dead = { host: 'fedc9876', pid: 77 }
    await writeFile(file, formatLease({ owner: dead, nonce: '0011223344556677', beat: 3 }))
    expect(await acquireBlobLease(file, { signal, staleMs: 300, wait: false })).toBe('busy')
    const waits: boolean[] = []
    const b = await held(acquireBlobLease(file, { signal, staleMs: 300, wait: true, onWait: (w) => waits.push(w.gaveUp) }))
    expect(b.held).toBe(true)
    expect(waits).toEqual([false, true])
    expect(parseLease(await readFile(file, 'utf8'))?.owner).toEqual(thisOwner())
    await b.release()
  })

  test('a lease of this host whose process is gone is taken over at once, even without waiting', async () => {
    const gone = { host: thisOwner().host, pid: 2 ** 22 + 12345 } // above pid_max's default: no such process
    await writeFile(file, formatLease({ owner: gone, nonce: '0011223344556677', beat: 3 }))
    const b = await held(acquireBlobLease(file, { signal, staleMs: 30_000, wait: false }))
    expect(b.held).toBe(true)
    expect(parseLease(await readFile(file, 'utf8'))?.owner).toEqual(thisOwner())
    await b.release()
  })

  test('with HFX_LOCK_WAIT=0 a held lease is neither waited for nor taken: the pull goes on without', async () => {
    await writeFile(file, formatLease({ owner: { host: 'fedc9876', pid: 1 }, nonce: '0011223344556677', beat: 3 }))
    const b = await held(acquireBlobLease(file, { signal, staleMs: 0, wait: true }))
    expect(b.held).toBe(false)
    expect(await readFile(file, 'utf8')).toContain('fedc9876')
  })

  test('no lease where none can be made: a folder at its name, or no folder at all', async () => {
    await mkdir(file)
    expect((await held(acquireBlobLease(file, { signal, staleMs: 300, wait: true }))).held).toBe(false)
    expect((await held(acquireBlobLease(path.join(dir, 'no', 'such.hfx-lease'), { signal, staleMs: 300, wait: true }))).held).toBe(false)
    expect((await held(acquireBlobLease(undefined, { signal, staleMs: 300, wait: true }))).held).toBe(false)
  })
})
