// ModelScope wraps every API answer in {Code, Message, Data, Success, RequestId}. A failure may come with an
// HTTP error status or with a 200 whose Code is not 200 (the library's is_ok checks both), so the envelope,
// not the status alone, says whether a call worked. This module turns either into data or a typed error.
import { type HfxError, HttpStatusError, RateLimitedError } from '../../errors.js'
import { redactUrl } from '../../repo/hub-urls.js'
import type { RepoRef } from '../../repo/repo-ref.js'
import {
  ModelScopeAccessError,
  ModelScopeEntryNotFoundError,
  ModelScopeRepoNotFoundError,
} from './errors.js'

export interface Envelope {
  code: unknown
  message: string
  success: boolean | undefined
  data: unknown
}

export interface MsContext {
  endpoint: string
  ref: Pick<RepoRef, 'type' | 'id'>
  /** Set when the request is about one file: "not found" then means the file. */
  path?: string
  revision?: string
  tokenSource?: string
}

/** The envelope fields, or undefined when the body is not one (an HTML error page, a proxy's answer). */
export function readEnvelope(body: unknown): Envelope | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  const b = body as Record<string, unknown>
  if (!('Code' in b) && !('Success' in b)) return undefined
  return {
    code: b.Code,
    message: typeof b.Message === 'string' ? b.Message : '',
    success: typeof b.Success === 'boolean' ? b.Success : undefined,
    data: b.Data,
  }
}

export function isOk(status: number, env: Envelope): boolean {
  return status === 200 && env.code === 200 && env.success !== false
}

// Messages seen from ModelScope are English or Chinese ("不存在": does not exist; "权限": permission; "登录": log in).
const NOT_FOUND = /not ?exist|not found|no such|不存在/i
const DENIED = /unauthori[sz]ed|permission|forbidden|login|log in|权限|登录/i

/** The error a failed answer means. `retryAfterMs` is the server's Retry-After, if it sent one. */
export function errorFromEnvelope(status: number, env: Envelope | undefined, url: string, ctx: MsContext, retryAfterMs?: number): HfxError {
  const message = env?.message ?? ''
  const detail = [env?.code !== undefined && env.code !== status ? String(env.code) : '', message].filter(Boolean).join(': ')
  if (status === 429) return new RateLimitedError(redactUrl(url), retryAfterMs)
  // 5xx stays an HttpStatusError, which the retry policy retries; what follows is final.
  if (status >= 500) return new HttpStatusError(status, redactUrl(url), detail || undefined, retryAfterMs)
  const denied = status === 401 || status === 403 || DENIED.test(message)
  if (denied && ctx.tokenSource) return new ModelScopeAccessError(ctx.ref, ctx.endpoint, ctx.tokenSource, message)
  // Without a token, ModelScope cannot tell "private" from "missing" for us either: both read as not found.
  if (denied || status === 404 || NOT_FOUND.test(message)) {
    if (ctx.path) return new ModelScopeEntryNotFoundError(ctx.ref, ctx.path, ctx.revision ?? 'master')
    return new ModelScopeRepoNotFoundError(ctx.ref, ctx.tokenSource !== undefined, ctx.endpoint)
  }
  return new HttpStatusError(status, redactUrl(url), `ModelScope error ${detail || '(no message)'}`, retryAfterMs)
}
