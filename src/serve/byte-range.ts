// The one `Range: bytes=…` form clients of the Hub send (a single range: start-end, start-, or -suffix),
// read against the file's size. Several ranges at once are answered with the whole file, which RFC 9110
// allows and no Hub client asks for.

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number } // end inclusive, as Content-Range writes it
  | { kind: 'unsatisfiable' }

export function readRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' }
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'whole' } // not a form we know: ignoring Range is allowed
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return { kind: 'unsatisfiable' }
  return { kind: 'part', start, end }
}
