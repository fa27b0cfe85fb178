// Runs in a worker thread (see hash-pool.ts): hashes partial files in order by reading them back from the
// page cache as the main thread reports how far their bytes reach on disk. sha256 costs about as much CPU
// as a third of receiving the bytes; here it runs beside the thread that reads the sockets, not on it.
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { parentPort } from 'node:worker_threads'
import type { Hash } from 'node:crypto'
import { type Expected, newHash } from '../content-hash.js'
import { hashFromDisk } from './read-back.js'

export type HashRequest =
  /** `dev`/`ino`: the file the main thread writes; the one opened at `path` must be it. */
  | { op: 'open'; id: number; path: string; dev: number; ino: number; expected: Expected }
  /** Bytes [0, end) are on disk: hash up to there. */
  | { op: 'reach'; id: number; end: number }
  /** The partial file was truncated: start over from byte 0. */
  | { op: 'reset'; id: number }
  | { op: 'digest'; id: number }
  | { op: 'close'; id: number }

/** `replaced`: the name led to another file than the one being written. */
export type HashReply = { id: number; hex: string } | { id: number; error: string; replaced?: boolean }

/** Each file has its own read buffer: files are hashed concurrently, and a shared one would be overwritten mid-hash. */
const READ_SIZE = 1024 * 1024

interface FileHash {
  fd: Promise<FileHandle>
  expected: Expected
  hash: Hash
  hashed: number
  /** The file ended before bytes recorded as written: hashing stops there, and the digest cannot match (read-back.ts). */
  short?: boolean
  buf?: Buffer
  failed?: Error & { replaced?: boolean }
  /** Every request for this file runs after the ones before it: reads, resets and the digest stay in order. */
  chain: Promise<void>
}

const files = new Map<number, FileHash>()

/** The file at `path`, if it is the very inode the main thread writes (never through a symlink). */
async function openWritten(path: string, dev: number, ino: number): Promise<FileHandle> {
  const replaced = () => Object.assign(new Error(`the partial file ${path} was replaced by another file while it was downloading`), { replaced: true })
  const fd = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP' || err.code === 'ENOENT' ? replaced() : err
  })
  const st = await fd.stat()
  if (st.dev === dev && st.ino === ino) return fd
  await fd.close()
  throw replaced()
}

async function hashTo(f: FileHash, end: number): Promise<void> {
  if (f.failed || f.short) return
  try {
    const fd = await f.fd
    f.buf ??= Buffer.allocUnsafe(READ_SIZE)
    f.hashed = await hashFromDisk(fd, f.hash, f.buf, f.hashed, end)
    f.short = f.hashed < end
  } catch (err) {
    f.failed = err as Error
  }
}

function run(id: number, step: (f: FileHash) => Promise<void> | void): void {
  const f = files.get(id)
  if (!f) return
  // A step that throws fails this file (its digest reports it), never the thread.
  f.chain = f.chain.then(() => step(f)).catch((err: Error) => {
    f.failed ??= err
  })
}

const port = parentPort
if (!port) throw new Error('hash-worker.js runs in a worker thread')
port.on('message', (m: HashRequest) => {
  switch (m.op) {
    case 'open': {
      const fd = openWritten(m.path, m.dev, m.ino)
      fd.catch(() => {}) // reported by the first read
      files.set(m.id, { fd, expected: m.expected, hash: newHash(m.expected), hashed: 0, chain: Promise.resolve() })
      return
    }
    case 'reach':
      return run(m.id, (f) => hashTo(f, m.end))
    case 'reset':
      return run(m.id, (f) => {
        f.hash = newHash(f.expected)
        f.hashed = 0
        f.short = false
        f.failed = undefined
      })
    case 'digest':
      return run(m.id, async (f) => {
        await hashTo(f, f.expected.size)
        // Always answer: the main thread is waiting for this reply.
        let reply: HashReply
        try {
          reply = f.failed ? { id: m.id, error: f.failed.message, replaced: f.failed.replaced } : { id: m.id, hex: f.hash.digest('hex') }
        } catch (err) {
          reply = { id: m.id, error: (err as Error).message }
        }
        port.postMessage(reply)
      })
    case 'close':
      return run(m.id, async (f) => {
        files.delete(m.id)
        await (await f.fd.catch(() => undefined))?.close()
      })
  }
})
