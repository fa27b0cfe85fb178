// The single-range subset of RFC 9110 Range that downloaders send.

export type RangeRequest =
  | { kind: 'none' } // no Range, or one we ignore (multiple ranges, bad syntax): answer 200
  | { kind: 'range'; start: number; end: number } // end exclusive
  | { kind: 'unsatisfiable' } // answer 416

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'none' }
  // RFC 9110 lets a server ignore a Range it does not understand, which is also what many CDNs do.
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'none' }
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return { kind: 'unsatisfiable' }
    return { kind: 'range', start: Math.max(0, size - suffix), end: size }
  }
  const start = Number(m[1])
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'none' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'range', start, end: last + 1 }
}
