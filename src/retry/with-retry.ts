// The retry loop for one request, and what a retry is, as data. What is retried, and how long to wait, is
// decided by retry/policy.ts; integrity failures and expired URLs are retried by the pull's chunk loop
// (pull/next-step.ts), which is the only place that knows the hash and the URL.
import { HfxError, HttpStatusError, InterruptedError, NetworkError, RateLimitedError, SlowConnectionError } from '../errors.js'
import { errorCodes, isRetryableError, isRetryableStatus, retryDelayMs, type RetryTiming } from './policy.js'

/** Why a request is tried again, in a word for scripts: part of the --json `retry` event, so never renamed. */
export type RetryKind = 'rate_limited' | 'server_error' | 'stalled' | 'connection' | 'url_expired' | 'integrity' | 'mirror' | 'other'

/** A retry about to happen, set where it is decided; the printers read `kind` and `path`, never `detail`. */
export interface RetryNotice {
  kind: RetryKind
  /** The file the failed request was for; absent for metadata calls (revision, listing). */
  path?: string
  /** The HTTP status, when the server answered one (a server_error says which). */
  status?: number
  /** kind 'mirror': the mirror (its URL without credentials) that failed the file or served wrong bytes. */
  mirror?: string
  attempt: number
  maxAttempts: number
  delayMs: number
  /** For people and logs: what failed and why, "model.safetensors: HTTP 503". */
  detail: string
}

export interface RetryOptions {
  maxAttempts: number
  timing?: RetryTiming
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
  /** Short description of what failed, for the retry notice (never a signed URL). */
  what: string
  /** The file the request is for, if it is for one. */
  path?: string
}

export interface Transient {
  retry: boolean
  kind: RetryKind
  /** Why, in a few words: "rate limited by the Hub", "HTTP 503", the network error's message. */
  reason: string
  status?: number
  /** The wait the server asked for, if any. */
  serverWaitMs?: number
}

/**
 * Codes that mean a timeout: nothing arrived for too long (HF_HUB_DOWNLOAD_TIMEOUT), which people see as a
 * stall rather than a dropped connection.
 */
const STALL_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

const connectionKind = (err: unknown): RetryKind => (errorCodes(err).some((c) => STALL_CODES.has(c)) ? 'stalled' : 'connection')

/** Whether an error is worth another attempt, what kind of failure it was, and the wait the server asked for. */
export function transient(err: unknown): Transient {
  if (err instanceof RateLimitedError) return { retry: true, kind: 'rate_limited', reason: 'rate limited by the Hub', serverWaitMs: err.retryAfterMs }
  if (err instanceof HttpStatusError) {
    const kind = err.status === 429 ? 'rate_limited' : err.status >= 500 ? 'server_error' : 'other'
    return { retry: isRetryableStatus(err.status), kind, reason: `HTTP ${err.status}`, status: err.status, serverWaitMs: err.serverWaitMs }
  }
  // Under the speed floor: a new connection may find a faster route (pull/next-step.ts bounds how often).
  if (err instanceof SlowConnectionError) return { retry: true, kind: 'stalled', reason: err.message }
  // Without a cause, hfx judged the body itself (cut short): a new connection may do better.
  if (err instanceof NetworkError) {
    return { retry: err.cause === undefined || isRetryableError(err.cause), kind: connectionKind(err.cause), reason: err.message }
  }
  if (err instanceof HfxError) return { retry: false, kind: 'other', reason: err.message }
  const retry = isRetryableError(err)
  const code = (err as { code?: string })?.code
  return { retry, kind: retry ? connectionKind(err) : 'other', reason: code ?? (err instanceof Error ? err.message : String(err)) }
}

/** "<what>: <reason>", without the reason's closing full stop (the printers add words after it). */
export function retryDetail(what: string, reason: string): string {
  return `${what}: ${reason.replace(/\.$/, '')}`
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError('interrupted'))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(new InterruptedError('interrupted'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (err) {
      if (opts.signal?.aborted) throw new InterruptedError('interrupted', undefined, { cause: err })
      const t = transient(err)
      if (!t.retry || attempt >= opts.maxAttempts) throw err
      const delayMs = t.serverWaitMs ?? retryDelayMs(attempt, undefined, opts.timing)
      opts.onRetry?.({
        kind: t.kind,
        path: opts.path,
        status: t.status,
        attempt,
        maxAttempts: opts.maxAttempts,
        delayMs,
        detail: retryDetail(opts.what, t.reason),
      })
      await sleep(delayMs, opts.signal)
    }
  }
}
