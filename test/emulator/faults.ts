// Injected faults: a queue matched in order, each fault affecting `times` matching requests.
//
// A fault only matches a request it can actually affect: a reset after 3 MiB skips a 1 MiB range
// request, and a corrupt byte skips ranges that do not cover it. Otherwise a parallel downloader's first
// small chunk would silently use up the fault and the test would prove nothing.
import type { Fault } from './types.js'

export interface FaultContext {
  origin: 'hub' | 'cdn'
  /** Set once the request is known to be about a repo file; unset for the request-level check. */
  filePath?: string
  /** This response carries (or heads) the file's bytes: non-LFS resolve/raw on the hub, blobs on the CDN. */
  servesBody: boolean
  /** The byte range [start, end) a GET is about to send, whether the client asked for a range, and the file size. */
  body?: { start: number; end: number; ranged: boolean; size: number }
  /** The request already followed a 'redirect' fault (its URL carries hop=1). */
  redirected?: boolean
  /** Pathname and query as received (request level). */
  path?: string
}

function matches(fault: Fault, ctx: FaultContext): boolean {
  if (fault.origin !== undefined && fault.origin !== ctx.origin) return false
  // Request level (before routing): only status and trickle faults without a file, so API calls can be made
  // to fail or crawl.
  if (ctx.filePath === undefined) {
    if (fault.kind === 'trickle' || fault.kind === 'cut') return fault.filePath === undefined && (fault.pathIncludes === undefined || (ctx.path ?? '').includes(fault.pathIncludes))
    return fault.kind === 'status' && fault.filePath === undefined
  }
  if (fault.filePath !== undefined && fault.filePath !== ctx.filePath) return false
  const body = ctx.body
  if (fault.rangeStart !== undefined && body?.start !== fault.rangeStart) return false
  switch (fault.kind) {
    case 'status':
      // Path-less status faults were offered at request level already. Without an origin, a file's status
      // fault hits where its bytes come from, not the hub's 302 for an LFS file.
      return fault.filePath !== undefined && (fault.origin !== undefined || ctx.servesBody)
    case 'expire':
      return ctx.origin === 'cdn'
    case 'ignoreRange':
      return body?.ranged === true
    case 'corrupt':
      return body !== undefined && fault.offset >= body.start && fault.offset < body.end
    case 'redirect':
      return !ctx.redirected
    case 'trickle':
    case 'cut':
      return false
    case 'raw':
      return body !== undefined
    case 'reset':
    case 'truncate':
    case 'stall':
      if (body === undefined) return false
      // Ignoring Range, the body is the whole file whatever was asked.
      return fault.afterBytes < (fault.ignoreRange ? body.size : body.end - body.start)
  }
}

export class FaultQueue {
  private queue: { fault: Fault; left: number }[] = []

  inject(fault: Fault): void {
    const left = fault.times ?? 1
    if (left > 0) this.queue.push({ fault, left })
  }

  clear(): void {
    this.queue = []
  }

  /** The first fault matching this request, counted as used. */
  take(ctx: FaultContext): Fault | undefined {
    const i = this.queue.findIndex((q) => matches(q.fault, ctx))
    if (i < 0) return undefined
    const q = this.queue[i]!
    if (--q.left <= 0) this.queue.splice(i, 1)
    return q.fault
  }
}
