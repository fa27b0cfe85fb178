// Metadata calls (repo info, tree pages, paths-info): one request with retries, typed errors, and a bounded,
// validated JSON body. File bytes never go through here.
import type { Dispatcher } from 'undici'
import { ProtocolError } from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'
import { serverWaitMs } from '../retry/policy.js'
import { withRetry, type RetryNotice } from '../retry/with-retry.js'
import { errorFromResponse, type RequestContext } from './error-from-response.js'
import { metadataDeadlineMs, withDeadline } from './deadline.js'
import type { Http } from './http.js'
import * as transport from './transport.js'
import type { SpeedFloor } from './transport.js'

/** A repo info lists every file (siblings): 64 MiB is a few hundred thousand of them. Tree pages have their own, lower, limit. */
const MAX_JSON_BYTES = 64 * 1024 * 1024
const METADATA_ATTEMPTS = 5

export interface HubIO {
  http: Http
  /** HF_HUB_ETAG_TIMEOUT: how long metadata calls wait for an answer (file bytes use the download timeout). */
  metadataTimeoutMs?: number
  /** The lowest speed a download connection may keep up (HFX_MIN_SPEED, HFX_MIN_SPEED_TIME); unset: no floor. */
  downloadFloor?: SpeedFloor
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
}

export interface JsonResponse {
  body: unknown
  headers: Dispatcher.ResponseData['headers']
  /** The body's size as received. */
  bytes: number
}

/** Sends one request; a failed status becomes a typed error (after the body is drained). */
export async function send(
  io: HubIO,
  url: string,
  ctx: RequestContext,
  opts: { method?: 'GET' | 'HEAD' | 'POST'; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Dispatcher.ResponseData> {
  const signal = opts.signal ?? io.signal
  const res = await transport.send(io.http, url, { method: opts.method, body: opts.body, headers: opts.headers, signal, timeoutMs: io.metadataTimeoutMs })
  if (res.statusCode >= 400) {
    await transport.discard(res)
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
        return { headers: res.headers, raw: await transport.readAll(res, url, opts.maxBytes ?? MAX_JSON_BYTES) }
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
