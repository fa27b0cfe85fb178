// Test data: deterministic bytes and the two hashes the Hub names files by.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/**
 * Deterministic pseudo-random bytes: the same (seed, size) always gives the same content, so tests can
 * build multi-MiB fixtures without storing them. xorshift32 fills a 32-bit word per step, which keeps
 * 64 MiB well under a second. Words are written in platform byte order (little-endian everywhere we run).
 */
export function bytes(seed: number, size: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4))
  // Spread the seed so that small seeds (0, 1, 2) give unrelated streams; xorshift must never start at 0.
  let x = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ 0x6d2b79f5) >>> 0 || 1
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = x
  }
  return Buffer.from(words.buffer, 0, size)
}

/** Hash.update refuses inputs of 2 GiB and more (the bench's 4 GiB file): feed it slices. */
const HASH_SLICE = 1024 ** 3

function updateAll(hash: ReturnType<typeof createHash>, buf: Buffer): ReturnType<typeof createHash> {
  for (let i = 0; i < buf.length; i += HASH_SLICE) hash.update(buf.subarray(i, i + HASH_SLICE))
  return hash
}

export function sha256(buf: Buffer | string): string {
  return updateAll(createHash('sha256'), typeof buf === 'string' ? Buffer.from(buf) : buf).digest('hex')
}

/** The git blob id: sha1 of "blob <size>\0" + content. */
export function gitSha1(buf: Buffer | string): string {
  const content = typeof buf === 'string' ? Buffer.from(buf) : buf
  return updateAll(createHash('sha1').update(`blob ${content.length}\0`), content).digest('hex')
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
