// Which byte ranges of a file still have to be fetched, cut into chunks that connections take one at a time.
// Pure: the part-state sidecar says what is done, this says what is left.

/** Half-open byte range [start, end). */
export interface Range {
  start: number
  end: number
}

/** Sorts and merges touching or overlapping ranges. */
export function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start)
  const out: Range[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end)
    else out.push({ ...r })
  }
  return out
}

/** The gaps of [0, size) not covered by `done`. */
export function missingRanges(size: number, done: Range[]): Range[] {
  const gaps: Range[] = []
  let at = 0
  for (const r of mergeRanges(done)) {
    if (r.start >= size) break
    if (r.start > at) gaps.push({ start: at, end: r.start })
    at = Math.max(at, r.end)
  }
  if (at < size) gaps.push({ start: at, end: size })
  return gaps
}

/** Cuts each gap into chunks of at most chunkSize, in file order (so the hash frontier moves early). */
export function planChunks(size: number, done: Range[], chunkSize: number): Range[] {
  if (chunkSize <= 0) throw new RangeError('chunkSize must be positive')
  const chunks: Range[] = []
  for (const gap of missingRanges(size, done)) {
    for (let start = gap.start; start < gap.end; start += chunkSize) {
      chunks.push({ start, end: Math.min(gap.end, start + chunkSize) })
    }
  }
  return chunks
}

/** Bytes covered by `done` within [0, size). */
export function doneBytes(size: number, done: Range[]): number {
  return mergeRanges(done).reduce((n, r) => n + Math.max(0, Math.min(r.end, size) - Math.min(r.start, size)), 0)
}

/** End of the contiguous prefix [0, n) that is done: how far the in-order hash may read. */
export function contiguousPrefix(done: Range[]): number {
  const first = mergeRanges(done)[0]
  return first && first.start === 0 ? first.end : 0
}

/** `Range: bytes=a-b` for the half-open range (HTTP's end is inclusive). */
export function rangeHeader(r: Range): string {
  return `bytes=${r.start}-${r.end - 1}`
}
