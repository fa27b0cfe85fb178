// What is measured: payloads shaped like real pulls, over a link shaped like the Hub's CDN or none at all.
import type { FileSpec, ThrottleSettings } from '../test/emulator/index.js'
import { randomFillSync } from 'node:crypto'
import { bytes } from '../test/helpers/files.js'

export const GiB = 1024 ** 3

let shared: Buffer | undefined

/**
 * Every large payload is cut from one buffer of random bytes, made once a run: filling 4 GiB takes ~13 s on
 * this VM (page faults, whatever fills them), which a-d, b-d, b-e, resume and main-thread would each pay.
 */
export function sharedBytes(size: number): Buffer {
  if (!shared || shared.length < size) {
    shared = undefined // let the old one go first
    shared = Buffer.allocUnsafe(size)
    // One slice at a time: randomFillSync takes neither an offset nor a length of 2 GiB or more.
    for (let at = 0; at < size; at += GiB) randomFillSync(shared.subarray(at, Math.min(size, at + GiB)))
  }
  return shared.subarray(0, size)
}

export const LINKS: Record<string, { title: string; throttle: ThrottleSettings }> = {
  a: { title: 'loopback, no throttle', throttle: {} },
  b: { title: 'CDN-like: 50 MB/s per connection, 20 ms latency', throttle: { perConnectionBytesPerSec: 50e6, latencyMs: 20 } },
}

export interface Payload {
  title: string
  files(scale: number): Record<string, FileSpec>
}

export const PAYLOADS: Record<string, Payload> = {
  c: {
    title: '2,000 small files (1-50 KB) in nested folders',
    files(scale) {
      const files: Record<string, FileSpec> = {}
      const n = Math.max(50, Math.round(2000 * Math.min(1, scale * 4)))
      for (let i = 0; i < n; i++) {
        const size = 1000 + ((i * 7919) % 49_000)
        files[`data/part-${i % 20}/shard-${i % 7}/item-${i}.json`] = { content: bytes(1000 + i, size), lfs: false }
      }
      return files
    },
  },
  d: {
    title: 'one 4 GiB LFS file',
    files: (scale) => ({ 'model.safetensors': { content: sharedBytes(Math.round(4 * GiB * scale)), lfs: true } }),
  },
  e: {
    title: '4 x 1 GiB safetensors shards',
    files(scale) {
      const files: Record<string, FileSpec> = {}
      const shard = Math.round(GiB * scale)
      const all = sharedBytes(4 * shard)
      for (let i = 1; i <= 4; i++) files[`model-0000${i}-of-00004.safetensors`] = { content: all.subarray((i - 1) * shard, i * shard), lfs: true }
      return files
    },
  },
}

/** Link × payload pairs in the report; each names the targets it is judged by. */
export const SCENARIOS = [
  { id: 'a-d', link: 'a', payload: 'd' },
  { id: 'b-d', link: 'b', payload: 'd' },
  { id: 'b-e', link: 'b', payload: 'e' },
  { id: 'b-c', link: 'b', payload: 'c' },
] as const
