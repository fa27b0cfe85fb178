// Reads back the bytes a partial file holds, for both hashers (prefix-hasher.ts on the main thread,
// hash-worker.ts on a worker thread), and is the one place that decides what a partial file shorter than
// its record means (the `.parts` sidecar, or this run's own writes say bytes are there that are not).
//
// The durability bet: hfx never fsyncs a partial or its sidecar. A sidecar is renamed into place only
// after the writes it names have completed, but after a power cut or a kernel crash the disk may keep the
// newer sidecar and lose (or tear) the data it names: the file is then shorter than its record, or holds
// zeros or stale bytes where the record says data is. None of that is trusted: every byte a run finds on
// disk is hashed as read back from the file, and the final hash decides. So the rule for a short file is
// the same as for a torn one: the read stops where the file ends, the digest is that of the bytes that are
// there (which cannot match), and fetch.ts throws the partial away and fetches the file again, as after any
// hash mismatch. It is never "a bug", and nothing past the file's end is ever taken on the record's word.
// A record that names bytes past the file's end is clipped when the partial is opened (recordedOnDisk,
// used by part-state.ts), so only the missing bytes are fetched; the hash check above costs a whole
// refetch only when the file shrinks while it downloads.
import type { Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import type { Range } from './chunks.js'

/** The part of the recorded `ranges` below the file's `length`: a record cannot vouch for bytes the file does not hold. */
export function recordedOnDisk(ranges: Range[], length: number): Range[] {
  return ranges.filter((r) => r.start < length).map((r) => ({ start: r.start, end: Math.min(r.end, length) }))
}

/**
 * Hashes bytes [from, to) of `fd` into `hash`, reading through `buf`. Returns the offset it reached: `to`,
 * or less where the file ends first (see above: the caller stops hashing there and lets the digest fail).
 */
export async function hashFromDisk(fd: FileHandle, hash: Hash, buf: Buffer, from: number, to: number): Promise<number> {
  let at = from
  while (at < to) {
    const { bytesRead } = await fd.read(buf, 0, Math.min(buf.length, to - at), at)
    if (bytesRead === 0) return at
    hash.update(buf.subarray(0, bytesRead))
    at += bytesRead
  }
  return at
}
