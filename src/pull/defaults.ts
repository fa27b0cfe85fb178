// Pull engine defaults, picked by `npm run bench -- --sweep` (BENCHMARKS.md has the tables):
// - connections 16: on the CDN-like link (50 MB/s per connection, 20 ms) 16 connections beat 8 by ~15-20 %
//   (8 × 50 MB/s cannot exceed 400 MB/s); 24 added nothing but memory.
// - chunkSize 16 MiB: 32 MiB was within noise, and a smaller chunk loses less to a crash (one chunk per
//   connection in flight).
// - maxFiles 32: 2,000 small files over a 20 ms link are latency-bound; 32 in flight beat aria2c -j16.
// - maxRequests 64: the cap on Range requests in flight across all files, so 32 large files do not open
//   512 connections; the files that started first get their connections first. Real CDN connections are
//   slower than the emulator's 50 MB/s, so a multi-file pull needs more of them than one file; the memory
//   budget below keeps them from costing more memory.
// - memoryBytes 16 MiB: what every connection together holds between the network and the disk
//   (memory-budget.ts), what one file on 16 connections held with 512 KiB writes. More connections write
//   smaller pieces instead: four 1 GiB shards on 64 connections peaked at ~205 MB RSS before, ~160 after,
//   as one file does, at the same speed.
export const PULL_DEFAULTS = {
  maxFiles: 32,
  connections: 16,
  chunkSize: 16 * 1024 * 1024,
  maxRequests: 64,
  memoryBytes: 16 * 1024 * 1024,
} as const

/** A mirror that does not accept a connection within this long is taken as down for that request. */
export const MIRROR_CONNECT_TIMEOUT_MS = 3000
