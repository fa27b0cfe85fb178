// One request/response pair and the ways the emulator answers it; every status goes through head()
// so the request log records it as soon as the response starts.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { sleep } from './throttle.js'
import type { Fault, RequestLog } from './types.js'

export interface Exchange {
  origin: 'hub' | 'cdn'
  req: IncomingMessage
  res: ServerResponse
  url: URL
  log: RequestLog
  /** Set by a trickle fault: sendBuffer sends the body at this rate until it is done or nobody listens. */
  trickle?: { bytesPerSec: number; signal: AbortSignal }
  /** Set by a cut fault: sendBuffer sends this many bytes of the body, then resets or closes the connection. */
  cut?: { afterBytes: number; how: 'reset' | 'truncate' }
}

export function head(ex: Exchange, status: number, headers: OutgoingHttpHeaders): void {
  ex.log.status = status
  ex.res.writeHead(status, headers)
}

export function sendBuffer(ex: Exchange, status: number, body: Buffer | string, headers: OutgoingHttpHeaders = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body
  head(ex, status, { 'Content-Length': buf.length, ...headers })
  if (ex.req.method === 'HEAD') {
    ex.res.end()
    return
  }
  if (ex.trickle) {
    void trickle(ex, buf, ex.trickle)
    return
  }
  if (ex.cut && ex.cut.afterBytes < buf.length) {
    const part = buf.subarray(0, ex.cut.afterBytes)
    ex.log.bytesSent += part.length
    const how = ex.cut.how
    ex.res.write(part, () => {
      const socket = ex.res.socket
      if (!socket || socket.destroyed) return
      if (how === 'reset') setTimeout(() => socket.destroyed || socket.resetAndDestroy(), 20)
      else socket.end()
    })
    return
  }
  ex.log.bytesSent += buf.length
  ex.res.end(buf)
}

/** A byte or a few at a time, each at its moment: bounded by the client hanging up or the hub closing. */
async function trickle(ex: Exchange, buf: Buffer, t: { bytesPerSec: number; signal: AbortSignal }): Promise<void> {
  const step = Math.max(1, Math.round(t.bytesPerSec / 4))
  ex.res.flushHeaders()
  for (let at = 0; at < buf.length; at += step) {
    await sleep((step * 1000) / t.bytesPerSec, t.signal)
    if (t.signal.aborted || ex.res.destroyed) return
    ex.res.write(buf.subarray(at, at + step))
    ex.log.bytesSent += Math.min(step, buf.length - at)
  }
  ex.res.end()
}

export function sendJson(ex: Exchange, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  sendBuffer(ex, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers })
}

/** The Hub's error shape: X-Error-Code (when there is one), X-Error-Message, and {error} as JSON. */
export function sendHubError(
  ex: Exchange,
  status: number,
  code: string | undefined,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const errorHeaders: OutgoingHttpHeaders = { 'X-Error-Message': message, ...headers }
  if (code) errorHeaders['X-Error-Code'] = code
  sendJson(ex, status, { error: message }, errorHeaders)
}

export function sendNotFound(ex: Exchange): void {
  sendJson(ex, 404, { error: 'Sorry, we can\'t find the page you are looking for.' })
}

/** What an S3-style CDN says for an expired or tampered presigned URL. */
export function sendAccessDenied(ex: Exchange, message = 'Request has expired'): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`
  sendBuffer(ex, 403, xml, { 'Content-Type': 'application/xml' })
}

export function sendFaultStatus(ex: Exchange, fault: Extract<Fault, { kind: 'status' }>): void {
  const body = fault.body ?? JSON.stringify({ error: `Injected fault: HTTP ${fault.status}` })
  sendBuffer(ex, fault.status, body, { 'Content-Type': 'application/json; charset=utf-8', ...fault.headers })
}
