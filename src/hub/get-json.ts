// Metadata calls (repo info, tree pages, paths-info): one request with retries, typed errors, and a bounded,
// validated JSON body. File bytes never go through here.
import type { Dispatcher } from 'undici'
import { NetworkError, ProtocolError } from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'
import { serverWaitMs } from '../retry/policy.js'
import { withRetry, type RetryNotice } from '../retry/with-retry.js'
import { errorFromResponse, type RequestContext } from './error-from-response.js'
import type { HubBackend } from './backend.js'
import { metadataDeadlineMs, withDeadline } from './deadline.js'
import type { Http } from './http.js'

/** A repo info lists every file (siblings): 64 MiB is a few hundred thousand of them. Tree pages have their own, lower, limit. */
const MAX_JSON_BYTES = 64 * 1024 * 1024
const METADATA_ATTEMPTS = 5

export interface HubIO {
  http: Http
  /** A hub other than Hugging Face's (ModelScope); unset means the Hugging Face Hub or a mirror of it. */
  backend?: HubBackend
  /** HF_HUB_ETAG_TIMEOUT: how long metadata calls wait for an answer (file bytes use the download timeout). */
  metadataTimeoutMs?: number
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
}

export interface JsonResponse {
  body: unknown
  headers: Dispatcher.ResponseData['headers']
  /** The body's size as received. */
  bytes: number
}

function limitText(limit: number): string {
  return limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`
}

export async function readBounded(res: Dispatcher.ResponseData, limit: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of res.body) {
      size += chunk.length
      if (size > limit) {
        res.body.destroy()
        throw new ProtocolError(`the answer from ${redactUrl(url)} is larger than ${limitText(limit)}; refusing to read it.`)
      }
      chunks.push(chunk)
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    // A connection that broke mid-body is a network failure (retried by the caller), not a bug.
    throw new NetworkError(redactUrl(url), (err as { code?: string }).code ?? (err as Error).message, { cause: err })
  }
  return Buffer.concat(chunks)
}

/** Sends one request; a failed status becomes a typed error (after the body is drained). */
export async function send(
  io: HubIO,
  url: string,
  ctx: RequestContext,
  opts: { method?: 'GET' | 'HEAD' | 'POST'; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Dispatcher.ResponseData> {
  let res: Dispatcher.ResponseData
  const signal = opts.signal ?? io.signal
  try {
    res = await io.http.request(url, { method: opts.method, body: opts.body, headers: opts.headers, signal, timeoutMs: io.metadataTimeoutMs })
  } catch (err) {
    if (signal?.aborted) throw err
    const reason = (err as { code?: string }).code ?? (err as Error).message
    throw new NetworkError(redactUrl(url), reason, { cause: err })
  }
  if (res.statusCode >= 400) {
    await res.body.dump().catch(() => {})
    throw errorFromResponse(
      { status: res.statusCode, headers: res.headers, url },
      { ...ctx, tokenSource: io.http.token?.source },
      serverWaitMs(res.headers),
    )
  }
  return res
}

export function getJson(
  io: HubIO,
  url: string,
  ctx: RequestContext,
  opts: { method?: 'GET' | 'POST'; body?: string; maxBytes?: number } = {},
): Promise<JsonResponse> {
  return withRetry(
    async () => {
      const { headers, raw } = await withDeadline(io, url, metadataDeadlineMs(io), async (signal) => {
        const res = await send(io, url, ctx, {
          method: opts.method,
          body: opts.body,
          headers: opts.body ? { 'content-type': 'application/json' } : undefined,
          signal,
        })
        return { headers: res.headers, raw: await readBounded(res, opts.maxBytes ?? MAX_JSON_BYTES, url) }
      })
      try {
        return { body: JSON.parse(raw.toString('utf8')), headers, bytes: raw.length }
      } catch {
        throw new ProtocolError(
          `the Hub answered ${redactUrl(url)} with malformed JSON.`,
          'Check HF_ENDPOINT: it should point at a Hugging Face Hub or a compatible mirror.',
        )
      }
    },
    { maxAttempts: METADATA_ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what: ctx.repoId },
  )
}
