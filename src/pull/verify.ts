// Hashes a partial file in order while its chunks are still arriving. Chunks land out of order, and Node
// cannot save a hash state across runs, so the hasher reads back the contiguous done prefix as it grows
// (from the page cache, moments after it was written) instead of a second full pass at the end. On a
// resumed download the same loop hashes what the earlier run left.
import { createHash, type Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'

export interface Expected {
  algorithm: 'sha256' | 'git-sha1'
  hex: string
  size: number
}

const READ_SIZE = 4 * 1024 * 1024

export function newHash(expected: Expected): Hash {
  if (expected.algorithm === 'sha256') return createHash('sha256')
  // A git blob id is sha1 over "blob <size>\0" followed by the content.
  return createHash('sha1').update(`blob ${expected.size}\0`)
}

export class PrefixHasher {
  private hash: Hash
  private hashed = 0
  private target = 0
  private running: Promise<void> | undefined
  private failed: unknown
  private readonly buf = Buffer.allocUnsafe(READ_SIZE)

  constructor(private readonly fd: FileHandle, private readonly expected: Expected) {
    this.hash = newHash(expected)
  }

  /** The done prefix now reaches `end`: hash up to there in the background. */
  advance(end: number): void {
    this.target = Math.max(this.target, end)
    if (this.running || this.failed) return
    this.running = this.run()
      .catch((err) => {
        this.failed = err // surfaced by digest(); a background failure must not be an unhandled rejection
      })
      .finally(() => {
        this.running = undefined
        if (this.hashed < this.target && !this.failed) this.advance(this.target)
      })
  }

  private async run(): Promise<void> {
    while (this.hashed < this.target) {
      const len = Math.min(READ_SIZE, this.target - this.hashed)
      const { bytesRead } = await this.fd.read(this.buf, 0, len, this.hashed)
      if (bytesRead === 0) throw new Error(`partial file ended at ${this.hashed} while ${this.target} bytes were marked done`)
      this.hash.update(this.buf.subarray(0, bytesRead))
      this.hashed += bytesRead
    }
  }

  /** Starts over from byte 0 (the partial file was truncated). */
  async reset(): Promise<void> {
    while (this.running) await this.running
    this.hash = newHash(this.expected)
    this.hashed = 0
    this.target = 0
    this.failed = undefined
  }

  /** Hashes the rest of the file and returns the hex digest. */
  async digest(): Promise<string> {
    this.advance(this.expected.size)
    while (this.running) await this.running
    if (this.failed) throw this.failed
    return this.hash.digest('hex')
  }
}
