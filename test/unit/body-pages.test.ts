// The pages a body is read into (pull/body-writer.ts): shared by every connection of a thread, given back
// when their write lands, and bounded when the disk stalls every connection at once. Real sockets to a
// server on 127.0.0.1 serving Range requests; the "disk" is a WriteAt whose writes wait for a gate.
import { randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { LeanClient } from '../../src/hub/lean-client.js'
import { PAGES_OUT, pagesHeld, type WriteAt } from '../../src/pull/body-writer.js'
import { fetchRangeLean, type LeanIO } from '../../src/pull/range-request.js'

const MiB = 1024 * 1024
const FILE = randomBytes(64 * MiB)

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function rangeServer(): Promise<string> {
  const server = http.createServer((req, res) => {
    const [, from, to] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? []
    const start = Number(from)
    const end = Number(to) + 1
    res.writeHead(206, { 'content-range': `bytes ${start}-${end - 1}/${FILE.length}`, 'content-length': end - start })
    res.end(FILE.subarray(start, end))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise((r) => server.close(() => r())))
  server.on('connection', (s) => closers.push(async () => void s.destroy()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`
}

function leanIO(): LeanIO {
  const client = new LeanClient(2000)
  closers.push(async () => client.close())
  return { endpoint: 'http://hub.invalid', http: { leanGet: (url, o = {}) => client.get({ url, headers: o.headers ?? {}, signal: o.signal, timeoutMs: 5000 }) } }
}

/** A disk that holds every write until open() is called, and keeps what was written. */
function gatedDisk() {
  const out = Buffer.alloc(FILE.length)
  let open!: () => void
  const gate = new Promise<void>((r) => (open = r))
  const write: WriteAt = async (bufs, n, at) => {
    await gate
    Buffer.concat(bufs, n).copy(out, at)
  }
  return { out, write, open }
}

describe('pages for bodies', () => {
  test('a disk that stalls 32 connections at once: they hold at most the bound, then every byte lands and every page is back', async () => {
    const url = await rangeServer()
    const io = leanIO()
    const disk = gatedDisk()
    const connections = 32
    const part = FILE.length / connections
    // 512 KiB writes, two writes' worth each: 32 connections could hold 36 MiB unbounded; the bound is 16 MiB.
    const memory = { writeBuffer: 512 * 1024, join: () => () => {} }
    const target = { url, repoId: 'acme/x', path: 'model.safetensors', commit: 'c'.repeat(40) }
    const signal = new AbortController().signal
    setMaxListeners(0, signal) // one listener per connection
    let written = 0
    const done = Promise.all(
      Array.from({ length: connections }, (_, i) =>
        fetchRangeLean(io, target, { start: i * part, end: (i + 1) * part }, disk.write, (_at, _bufs, n) => (written += n), signal, false, { memory }),
      ),
    )
    let most = 0
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 10))
      most = Math.max(most, pagesHeld())
    }
    expect(written).toBe(0)
    // The bound, plus what each connection may take before it sees it was passed: one page being filled.
    expect(most).toBeGreaterThan(PAGES_OUT / 2)
    expect(most).toBeLessThanOrEqual(PAGES_OUT + connections)
    disk.open()
    expect((await done).every((n) => n === part)).toBe(true)
    expect(written).toBe(FILE.length)
    expect(disk.out.equals(FILE)).toBe(true)
    expect(pagesHeld()).toBe(0)
  })

  test('a disk that fails its writes: the request fails with the disk error, and every page is back', async () => {
    const url = await rangeServer()
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    const write: WriteAt = async () => {
      throw full
    }
    const target = { url, repoId: 'acme/x', path: 'model.safetensors', commit: 'c'.repeat(40) }
    const memory = { writeBuffer: 128 * 1024, join: () => () => {} }
    const got = fetchRangeLean(leanIO(), target, { start: 0, end: 8 * MiB }, write, () => {}, new AbortController().signal, false, { memory })
    await expect(got).rejects.toBe(full)
    expect(pagesHeld()).toBe(0)
  })

  test('without a stall, one connection holds a few pages, and gives them all back', async () => {
    const url = await rangeServer()
    const written: { at: number; n: number }[] = []
    const out = Buffer.alloc(FILE.length)
    const write: WriteAt = async (bufs, n, at) => {
      Buffer.concat(bufs, n).copy(out, at)
    }
    const target = { url, repoId: 'acme/x', path: 'model.safetensors', commit: 'c'.repeat(40) }
    const n = await fetchRangeLean(leanIO(), target, { start: 0, end: 16 * MiB }, write, (at, _b, k) => written.push({ at, n: k }), new AbortController().signal, false)
    expect(n).toBe(16 * MiB)
    expect(out.subarray(0, 16 * MiB).equals(FILE.subarray(0, 16 * MiB))).toBe(true)
    // Writes land in order, back to back.
    let at = 0
    for (const w of written) {
      expect(w.at).toBe(at)
      at += w.n
    }
    expect(pagesHeld()).toBe(0)
  })
})
