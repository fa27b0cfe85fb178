// The retry loop for one request. What is retried, and how long to wait, is decided by retry/policy.ts;
// integrity failures are retried by the pull engine, which is the only place that knows the hash.
import { HfxError, HttpStatusError, InterruptedError, NetworkError, RateLimitedError } from '../errors.js'
import { isRetryableError, isRetryableStatus, retryDelayMs, type RetryTiming } from './policy.js'

export interface RetryNotice {
  attempt: number
  maxAttempts: number
  delayMs: number
  reason: string
}

export interface RetryOptions {
  maxAttempts: number
  timing?: RetryTiming
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
  /** Short description of what failed, for the retry notice (never a signed URL). */
  what: string
}

/** Whether an error is worth another attempt, and the wait the server asked for, if any. */
export function transient(err: unknown): { retry: boolean; serverWaitMs?: number; reason: string } {
  if (err instanceof RateLimitedError) return { retry: true, serverWaitMs: err.retryAfterMs, reason: 'rate limited by the Hub' }
  if (err instanceof HttpStatusError) {
    return { retry: isRetryableStatus(err.status), serverWaitMs: err.serverWaitMs, reason: `HTTP ${err.status}` }
  }
  // Without a cause, hfx judged the body itself (cut short, below the speed floor): a new connection may do better.
  if (err instanceof NetworkError) return { retry: err.cause === undefined || isRetryableError(err.cause), reason: err.message }
  if (err instanceof HfxError) return { retry: false, reason: err.message }
  const code = (err as { code?: string })?.code
  return { retry: isRetryableError(err), reason: code ?? (err instanceof Error ? err.message : String(err)) }
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
      opts.onRetry?.({ attempt, maxAttempts: opts.maxAttempts, delayMs, reason: `${opts.what}: ${t.reason.replace(/\.$/, '')}` })
      await sleep(delayMs, opts.signal)
    }
  }
}
