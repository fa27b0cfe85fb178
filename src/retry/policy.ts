// What is worth retrying and how long to wait, as data and pure functions; the loop that sleeps is
// retry/with-retry.ts. Integrity failures are retried where the hash is known (pull/fetch.ts), not here.

/** Statuses that say "try again later". */
export const RETRY_STATUS: Record<number, string> = {
  408: 'request timeout: the server gave up waiting for us, a fresh request usually passes',
  429: 'rate limited: wait as long as RateLimit / Retry-After say, then continue',
  500: 'internal server error: usually transient on the Hub',
  502: 'bad gateway: a proxy or load balancer lost the backend',
  503: 'service unavailable: overloaded or deploying',
  504: 'gateway timeout: the backend was too slow this time',
}
// Not retried, because the same request would get the same answer:
// 400 bad request (our bug), 401 / 403 (bad token, gated or private repo: the user must act; a CDN 403 on an
// expired signed URL is handled by re-resolving in pull/next-step.ts, not by repeating it), 404 (repo, revision
// or file missing), 410 gone, 413, 416 range not satisfiable (our offset is past the end: restart the file).

/** Socket, DNS and undici error codes that mean the connection failed, not the request. */
export const RETRY_ERROR_CODES: Record<string, string> = {
  ECONNRESET: 'the peer dropped the connection, often a proxy or CDN edge recycling it',
  ECONNREFUSED: 'nothing listening right now: a restarting server or load balancer',
  ECONNABORTED: 'the connection was aborted by the network stack',
  EPIPE: 'we wrote to a connection the peer had already closed',
  ETIMEDOUT: 'connect or read timed out at the OS level',
  ENETUNREACH: 'no route right now: a VPN reconnecting or Wi-Fi switching',
  ENETDOWN: 'the network interface went down for a moment',
  EHOSTUNREACH: 'the host is briefly unreachable',
  EAI_AGAIN: 'DNS lookup failed temporarily (the resolver, not the name)',
  UND_ERR_SOCKET: 'undici: the socket closed or failed mid-request ("other side closed")',
  UND_ERR_CONNECT_TIMEOUT: 'undici: the TCP/TLS connect took too long',
  UND_ERR_HEADERS_TIMEOUT: 'undici: no response headers within the timeout',
  UND_ERR_BODY_TIMEOUT: 'undici: the body stalled longer than the timeout; resume with Range',
  UND_ERR_CLOSED: 'undici: the pooled connection closed under a queued request; a new attempt opens another',
  ERR_STREAM_PREMATURE_CLOSE: 'the response body ended before it was complete; resume with Range',
}
// Not retried:
// ENOTFOUND: DNS says the host does not exist (a wrong HF_ENDPOINT or proxy); retrying only delays the error.
// ENOSPC, EDQUOT, EACCES, EPERM, EROFS: the disk failed us, not the network (errors.ts maps them).
// ABORT_ERR, UND_ERR_ABORTED: the user interrupted; stop at once.
// CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID:
//   TLS configuration (often a corporate proxy); the same certificate comes back every time.
// ERR_INVALID_URL, UND_ERR_INVALID_ARG, UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: bugs in the request we built.

export interface RetryTiming {
  baseMs: number
  maxMs: number
}

export const DEFAULT_TIMING: RetryTiming = { baseMs: 500, maxMs: 30_000 }

/** A server asking for more than this is misconfigured or hostile; an hour is long enough to be told to wait. */
const MAX_SERVER_WAIT_MS = 60 * 60 * 1000

type Headers = Record<string, string | string[] | undefined>

export function isRetryableStatus(status: number): boolean {
  return Object.hasOwn(RETRY_STATUS, status)
}

/**
 * Looks at `code` on the error and down its `cause` chain (fetch wraps undici errors in
 * `TypeError('fetch failed', {cause})`) and in `errors` (Node's happy-eyeballs connect throws an AggregateError).
 */
export function isRetryableError(err: unknown): boolean {
  return errorCodes(err).some((code) => Object.hasOwn(RETRY_ERROR_CODES, code))
}

/** Every `code` on the error and down its `cause` chain and `errors` list (see isRetryableError). */
export function errorCodes(err: unknown): string[] {
  return codes(err, 0)
}

function codes(err: unknown, depth: number): string[] {
  if (depth > 5 || typeof err !== 'object' || err === null) return []
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown }
  const own = typeof e.code === 'string' ? [e.code] : []
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => codes(x, depth + 1)) : []
  return [...own, ...codes(e.cause, depth + 1), ...nested]
}

/**
 * How long the server asked us to wait, if it said so. Retry-After is authoritative when present (seconds or
 * an HTTP-date); otherwise the IETF RateLimit header's `t` (seconds until the window resets), plus one second
 * so we do not arrive just before the reset. `now` is only read for HTTP-dates.
 */
export function serverWaitMs(headers: Headers, now: number = Date.now()): number | undefined {
  const wait = retryAfterMs(header(headers, 'retry-after'), now) ?? rateLimitMs(header(headers, 'ratelimit'))
  return wait === undefined ? undefined : Math.min(Math.max(0, wait), MAX_SERVER_WAIT_MS)
}

function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const v = value.trim()
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000
  // An HTTP-date always names its day and month; without letters, Date.parse would read '-5' as a year.
  const date = /[A-Za-z]/.test(v) ? Date.parse(v) : Number.NaN
  return Number.isNaN(date) ? undefined : date - now
}

/**
 * `"resolvers";r=0;t=55` (one entry per bucket, comma-separated) or an older draft's bare `t=55` / `reset=55`.
 * With several buckets, the longest reset among the exhausted ones (r=0) is the one that blocks us.
 */
function rateLimitMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const entries = value.split(',').map((entry) => ({
    remaining: param(entry, 'r') ?? param(entry, 'remaining'),
    reset: param(entry, 't') ?? param(entry, 'reset'),
  }))
  const withReset = entries.filter((e) => e.reset !== undefined)
  const exhausted = withReset.filter((e) => e.remaining === 0)
  const pool = exhausted.length ? exhausted : withReset
  if (pool.length === 0) return undefined
  return (Math.max(...pool.map((e) => e.reset!)) + 1) * 1000
}

function param(entry: string, name: string): number | undefined {
  const m = new RegExp(`(?:^|[;\\s])${name}=(\\d+(?:\\.\\d+)?)`).exec(entry)
  return m ? Number(m[1]) : undefined
}

function header(headers: Headers, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue
    return Array.isArray(value) ? value[0] : value
  }
  return undefined
}

/**
 * Exponential backoff, base * 2^(attempt-1) capped at max, with equal jitter: half the delay is fixed, half
 * random. Full jitter can draw ~0 ms, which helps thousands of clients spread out but lets one CLI hammer an
 * overloaded server; equal jitter keeps a floor and still de-synchronises the parallel connections of a pull.
 */
export function backoffMs(attempt: number, timing: RetryTiming = DEFAULT_TIMING, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt))
  const ceiling = Math.min(timing.maxMs, timing.baseMs * 2 ** Math.min(n - 1, 52))
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.round(ceiling / 2 + (ceiling / 2) * r)
}

export function retryDelayMs(
  attempt: number,
  headers?: Headers,
  timing: RetryTiming = DEFAULT_TIMING,
  random: () => number = Math.random,
): number {
  return (headers && serverWaitMs(headers)) ?? backoffMs(attempt, timing, random)
}
