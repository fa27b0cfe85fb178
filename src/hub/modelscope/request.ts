// The two kinds of request ModelScope gets from hfx besides file bytes: an API call whose envelope is
// unwrapped (retried on network errors, 5xx and 429), and a one-byte probe that asks where a file's bytes
// are, without following the redirect.
import type { Dispatcher } from 'undici'
import { ProtocolError } from '../../errors.js'
import { redactUrl } from '../../repo/hub-urls.js'
import { serverWaitMs } from '../../retry/policy.js'
import { withRetry } from '../../retry/with-retry.js'
import { metadataDeadlineMs, withDeadline } from '../deadline.js'
import type { HubIO } from '../get-json.js'
import * as transport from '../transport.js'
import { MAX_LISTING_PAGE_BYTES, type ListingBudget } from '../listing-budget.js'
import { errorFromEnvelope, isOk, readEnvelope, type MsContext } from './envelope.js'

/** A model's whole file listing comes in one answer: a large repo's is a few MB; this bounds a hostile or broken one. */
const MAX_JSON_BYTES = 64 * 1024 * 1024
/** An error body is a short envelope; more than this is not worth reading. */
const MAX_ERROR_BYTES = 64 * 1024
const ATTEMPTS = 5

function sendOnce(io: HubIO, url: string, signal: AbortSignal, headers?: Record<string, string>): Promise<Dispatcher.ResponseData> {
  return transport.send(io.http, url, { headers, signal, timeoutMs: io.metadataTimeoutMs })
}

function parse(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    return undefined
  }
}

/** Reads a failed answer's envelope (if it has one) and throws the error it means. */
async function fail(io: HubIO, res: Dispatcher.ResponseData, url: string, ctx: MsContext): Promise<never> {
  const body = await transport.readAll(res, url, MAX_ERROR_BYTES).catch(() => Buffer.alloc(0))
  throw errorFromEnvelope(res.statusCode, readEnvelope(parse(body)), url, { ...ctx, tokenSource: io.http.token?.source }, serverWaitMs(res.headers))
}

/** GETs an API URL and returns the envelope's Data. */
export function getData(io: HubIO, url: string, ctx: MsContext, listing?: ListingBudget): Promise<unknown> {
  return withRetry(
    async () => {
      const { res, raw } = await withDeadline(io, url, metadataDeadlineMs(io), async (signal) => {
        const res = await sendOnce(io, url, signal)
        if (res.statusCode !== 200) return fail(io, res, url, ctx)
        return { res, raw: await transport.readAll(res, url, listing ? MAX_LISTING_PAGE_BYTES : MAX_JSON_BYTES) }
      })
      listing?.page(raw.length)
      const env = readEnvelope(parse(raw))
      if (!env) {
        throw new ProtocolError(
          `ModelScope answered ${redactUrl(url)} with something other than its JSON envelope.`,
          'Check MODELSCOPE_DOMAIN / --endpoint: it should point at ModelScope (https://www.modelscope.cn).',
        )
      }
      if (!isOk(res.statusCode, env)) {
        throw errorFromEnvelope(res.statusCode, env, url, { ...ctx, tokenSource: io.http.token?.source }, serverWaitMs(res.headers))
      }
      return env.data
    },
    { maxAttempts: ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what: ctx.ref.id },
  )
}

/**
 * Where a file's bytes are: the Location the API redirects to (object storage, for LFS files), or the API URL
 * itself when it serves them. Asked once per file with a one-byte Range GET (what the library sends, where
 * HEAD is not known to work), so that every parallel Range request and `hfx info`'s header reads go straight
 * to the bytes instead of each meeting the redirect.
 */
export function locateBytes(io: HubIO, url: string, ctx: MsContext): Promise<string> {
  return withRetry(
    () =>
      withDeadline(io, url, metadataDeadlineMs(io), async (signal) => {
        const res = await sendOnce(io, url, signal, { range: 'bytes=0-0' })
        const location = res.headers.location
        if (res.statusCode >= 300 && res.statusCode < 400) {
          await transport.discard(res)
          if (typeof location !== 'string') throw new ProtocolError(`ModelScope redirected ${ctx.path} without a Location.`)
          return new URL(location, url).toString()
        }
        // 416: an empty file has no byte 0, but the URL serves it.
        if (res.statusCode === 200 || res.statusCode === 206 || res.statusCode === 416) {
          await transport.discard(res)
          return url
        }
        return fail(io, res, url, ctx)
      }),
    { maxAttempts: ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what: ctx.path ?? ctx.ref.id, path: ctx.path },
  )
}
