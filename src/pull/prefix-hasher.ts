// Hashes a partial file in order while its chunks are still arriving. Node cannot save a hash state
// across runs, and chunks land out of order, so the hash follows a frontier: bytes written exactly at the
// frontier are hashed straight from the network buffers (no second read), and bytes that landed ahead of
// it are read back from the page cache, moments after they were written, once the gap before them fills.
// On a resumed download the same read-back hashes what the earlier run left on disk. A file shorter than
// the bytes recorded as written fails its hash and is fetched again (read-back.ts has the rule).
import type { Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { type Expected, newHash } from '../content-hash.js'
import { contiguousPrefix, mergeRanges, type Range } from './chunks.js'
import { hashFromDisk } from './read-back.js'

export type { Expected }

const READ_SIZE = 4 * 1024 * 1024

/** Hashes a partial file in order while its chunks land: inline (below) or on a worker thread (hash-pool.ts). */
export interface Hasher {
  /** Bytes already on disk from an earlier run. */
  kept(ranges: Range[]): void
  /** `bufs` were just written at `offset`. Called in write order for each connection. */
  wrote(offset: number, bufs: Buffer[], n: number): void
  /** Starts over from byte 0 (the partial file was truncated). */
  reset(): Promise<void>
  /** The hex digest once every byte is hashed; whatever is still missing is read from disk. */
  digest(): Promise<string>
  /** Lets go of the file, whether or not a digest was taken. */
  close(): void
}

export class PrefixHasher implements Hasher {
  private hash: Hash
  private hashed = 0
  /** Byte ranges on disk (written this run, or kept from an earlier one) that the frontier has not reached. */
  private onDisk: Range[] = []
  private running: Promise<void> | undefined
  private failed: unknown
  private buf: Buffer | undefined
  /** The file ended before bytes recorded as written: the hash stops there, and cannot match. */
  private short = false

  constructor(private readonly fd: FileHandle, private readonly expected: Expected) {
    this.hash = newHash(expected)
  }

  /** Bytes already on disk from an earlier run. */
  kept(ranges: Range[]): void {
    this.onDisk = mergeRanges([...this.onDisk, ...ranges])
    this.catchUp()
  }

  /** `bufs` were just written at `offset`. Called in write order for each connection. */
  wrote(offset: number, bufs: Buffer[], n: number): void {
    if (!this.running && !this.failed && !this.short && offset === this.hashed) {
      for (const b of bufs) this.hash.update(b)
      this.hashed += n
      // The frontier may now touch bytes another connection wrote ahead of it.
      if (this.onDisk.length) this.catchUp()
      return
    }
    this.onDisk = mergeRanges([...this.onDisk, { start: offset, end: offset + n }])
    this.catchUp()
  }

  /** How far the bytes on disk reach contiguously from the frontier. */
  private reachable(): number {
    const from = mergeRanges([{ start: 0, end: this.hashed }, ...this.onDisk])
    return contiguousPrefix(from)
  }

  private catchUp(): void {
    if (this.running || this.failed || this.short || this.reachable() <= this.hashed) return
    this.running = this.readBack()
      .catch((err) => {
        this.failed = err // surfaced by digest(); a background failure must not be an unhandled rejection
      })
      .finally(() => {
        this.running = undefined
        this.catchUp()
      })
  }

  private async readBack(): Promise<void> {
    for (let end = this.reachable(); this.hashed < end && !this.short; end = this.reachable()) {
      this.buf ??= Buffer.allocUnsafe(Math.max(1, Math.min(READ_SIZE, this.expected.size)))
      const reached = await hashFromDisk(this.fd, this.hash, this.buf, this.hashed, end)
      this.short = reached < end
      this.hashed = reached
      this.onDisk = this.onDisk.filter((r) => r.end > this.hashed)
    }
  }

  /** Starts over from byte 0 (the partial file was truncated). */
  async reset(): Promise<void> {
    while (this.running) await this.running
    this.hash = newHash(this.expected)
    this.hashed = 0
    this.onDisk = []
    this.failed = undefined
    this.short = false
  }

  /** The hex digest once every byte is hashed; whatever is still missing is read from disk. */
  async digest(): Promise<string> {
    this.onDisk = mergeRanges([...this.onDisk, { start: this.hashed, end: this.expected.size }])
    this.catchUp()
    while (this.running) await this.running
    if (this.failed) throw this.failed
    return this.hash.digest('hex')
  }

  close(): void {}
}

