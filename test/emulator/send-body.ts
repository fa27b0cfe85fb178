// Writes a slice of a file as a response body: throttled, respecting backpressure, and broken on purpose
// when a body fault says so. Chunks are subarrays of the stored Buffer (no copies) so loopback runs at
// memory speed.
import type { ServerResponse } from 'node:http'
import { sleep, type Throttle } from './throttle.js'
import type { Fault } from './types.js'

// A reset discards whatever the client has not read yet: on loopback several MiB can sit unread in
// socket buffers. Without a pause, a "reset after 3 MiB" would deliver a few KiB and make a resumed download
// look like it re-fetched megabytes. The pause lets the client drain them before the RST.
const RESET_GRACE_MS = 50

export type BodyFault = Extract<Fault, { kind: 'reset' | 'truncate' | 'stall' | 'corrupt' }>

export interface BodyPlan {
  content: Buffer
  start: number
  /** Exclusive. */
  end: number
  fault?: BodyFault
  throttle: Throttle
  /** Aborted when the hub closes. */
  signal: AbortSignal
  /** Called with each chunk's size once it has been handed to the socket. */
  onWritten(n: number): void
}

function gone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded
}

/** Resolves on 'drain', or when the response is gone (client aborted, hub closed). */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Resolves once everything written so far has left the socket's buffer (or the socket is gone). */
function flushed(res: ServerResponse): Promise<void> {
  const socket = res.socket
  if (!socket || socket.destroyed) return Promise.resolve()
  return new Promise((resolve) => socket.write(Buffer.alloc(0), () => resolve()))
}

export async function sendBody(res: ServerResponse, plan: BodyPlan): Promise<void> {
  const { content, fault, throttle, signal } = plan
  const cutoff = fault && fault.kind !== 'corrupt' ? plan.start + fault.afterBytes : plan.end
  const connection = res.socket ?? res
  let pos = plan.start
  while (pos < cutoff) {
    if (gone(res) || signal.aborted) return
    const n = Math.min(throttle.chunkSize(), cutoff - pos)
    await throttle.take(n, connection, signal)
    if (gone(res) || signal.aborted) return
    let chunk = content.subarray(pos, pos + n)
    if (fault?.kind === 'corrupt' && fault.offset >= pos && fault.offset < pos + n) {
      chunk = Buffer.from(chunk)
      chunk[fault.offset - pos]! ^= 0xff
    }
    const ok = res.write(chunk, (err) => {
      if (!err) plan.onWritten(n)
    })
    pos += n
    if (!ok) await drained(res, signal)
  }
  if (gone(res)) return
  switch (fault?.kind) {
    case undefined:
    case 'corrupt':
      res.end()
      return
    case 'reset': {
      res.flushHeaders()
      await flushed(res)
      await sleep(RESET_GRACE_MS, signal)
      const socket = res.socket
      if (socket && !socket.destroyed) socket.resetAndDestroy()
      return
    }
    case 'truncate':
      res.flushHeaders()
      // A clean FIN after fewer bytes than Content-Length: the client sees a premature end, not an error.
      res.socket?.end()
      return
    case 'stall':
      res.flushHeaders()
      // Nothing more until the client gives up or the hub closes (close() destroys the socket).
      await new Promise<void>((resolve) => {
        if (signal.aborted || res.destroyed) return resolve()
        res.once('close', () => resolve())
      })
      return
  }
}
