// A file's bytes as either origin serves them: Range (206/416), ETag, body faults, throttling and the
// per-file byte count.
import type { OutgoingHttpHeaders } from 'node:http'
import { parseRange } from './range.js'
import { head, sendAccessDenied, sendBuffer, sendFaultStatus, type Exchange } from './reply.js'
import { sendBody } from './send-body.js'
import type { HubState } from './state.js'

export interface BlobToServe {
  content: Buffer
  repoId: string
  filePath: string
  /** Unquoted; sent as a strong ETag. */
  etag: string
  headers: OutgoingHttpHeaders
}

export async function serveBlob(state: HubState, ex: Exchange, blob: BlobToServe): Promise<void> {
  const size = blob.content.length
  const isGet = ex.req.method === 'GET'
  let range = parseRange(ex.req.headers.range, size)
  const body =
    !isGet || range.kind === 'unsatisfiable'
      ? undefined
      : range.kind === 'range'
        ? { start: range.start, end: range.end, ranged: true, size }
        : { start: 0, end: size, ranged: false, size }
  const redirected = ex.url.searchParams.has('hop')
  const fault = state.faults.take({ origin: ex.origin, filePath: blob.filePath, servesBody: true, body, redirected })
  if (fault?.kind === 'status') return sendFaultStatus(ex, fault)
  if (fault?.kind === 'expire') return sendAccessDenied(ex)
  if (fault?.kind === 'redirect') return sendRedirect(ex)
  if (fault?.kind === 'raw' && body) return sendRaw(ex, fault.answer(body, blob.content))
  if (fault?.kind === 'ignoreRange') range = { kind: 'none' }
  if ((fault?.kind === 'reset' || fault?.kind === 'truncate' || fault?.kind === 'stall') && fault.ignoreRange && range.kind !== 'unsatisfiable') {
    range = { kind: 'none' }
  }

  const headers: OutgoingHttpHeaders = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: `"${blob.etag}"`,
    ...blob.headers,
  }
  if (range.kind === 'unsatisfiable') {
    return sendBuffer(ex, 416, '', { ...headers, 'Content-Range': `bytes */${size}` })
  }
  const [status, start, end] = range.kind === 'range' ? [206, range.start, range.end] : [200, 0, size]
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`
  head(ex, status, { ...headers, 'Content-Length': end - start })
  if (!isGet) {
    ex.res.end()
    return
  }
  await sendBody(ex.res, {
    content: blob.content,
    start,
    end,
    fault: fault?.kind === 'reset' || fault?.kind === 'truncate' || fault?.kind === 'stall' || fault?.kind === 'corrupt' ? fault : undefined,
    throttle: state.throttle,
    signal: state.closing.signal,
    onWritten: (n) => {
      ex.log.bytesSent += n
      state.countServed(blob.repoId, blob.filePath, n)
    },
  })
}

/** 302 to the same URL plus hop=1: the next request lands on the same file, marked as redirected. */
function sendRedirect(ex: Exchange): void {
  const to = new URL(ex.url)
  to.searchParams.set('hop', '1')
  // Relative: ex.url's host is a placeholder, not the origin's real port.
  sendBuffer(ex, 302, '', { Location: `${to.pathname}${to.search}` })
}

/** Bytes no HTTP server would write, then the end of the connection (a 'raw' fault). */
function sendRaw(ex: Exchange, bytes: Buffer | string): void {
  const status = /^HTTP\/\S+ (\d{3})/.exec(bytes.toString('latin1', 0, 40))
  ex.log.status = status ? Number(status[1]) : 0
  ex.res.socket?.end(bytes)
}
