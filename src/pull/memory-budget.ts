// One budget of memory for the bytes a pull holds between the network and the disk, shared by every
// connection of every file. A connection gathers its reads into one write (body-writer.ts), and holds up to
// twice that: one write filling, one landing. At a fixed 512 KiB, memory grew with the connections in flight:
// four 1 GiB shards on 64 connections peaked ~60 MB above one file on 16 (BENCHMARKS.md), and a cap on bytes
// held did not help (connections that waited flushed small writes and cost a quarter more CPU). So the
// budget sets how much each connection gathers instead: its share of the budget, within bounds. One file on
// 16 connections keeps 512 KiB writes; four files on 64 write 128 KiB at a time and hold the same in all.
import { PULL_DEFAULTS } from './defaults.js'

/** Writes smaller than this cost more in syscalls than they save in memory. */
export const MIN_WRITE_BUFFER = 64 * 1024
/**
 * Writes larger than this save nothing: 1 MiB was no faster than 512 KiB, while 256 KiB cost ~12 % more
 * CPU on a fast link (each write is a hand-off to libuv's thread pool).
 */
export const MAX_WRITE_BUFFER = 512 * 1024

export class MemoryBudget {
  private readers = 0

  /** `bytes`: what all connections together may hold, written or not yet (default: 16 connections' worth). */
  constructor(readonly bytes: number = PULL_DEFAULTS.memoryBytes) {}

  /** A connection starts reading a body; call the returned function (once) when it stops. */
  join(): () => void {
    this.readers++
    let left = false
    return () => {
      if (left) return
      left = true
      this.readers--
    }
  }

  /** Connections reading now. */
  get active(): number {
    return this.readers
  }

  /**
   * How many bytes a connection gathers before it writes: its share, each holding two writes' worth at most,
   * rounded down to a power of two, so that a write is whole pages (body-writer.ts reads into pages of
   * 128 KiB, shared by all connections).
   */
  get writeBuffer(): number {
    const share = Math.floor(this.bytes / (2 * Math.max(1, this.readers)))
    const clamped = Math.max(MIN_WRITE_BUFFER, Math.min(MAX_WRITE_BUFFER, share))
    return 2 ** Math.floor(Math.log2(clamped))
  }
}
