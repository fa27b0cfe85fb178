// Turns a failed Hub answer into the error a user can act on. The Hub says what went wrong in
// X-Error-Code / X-Error-Message headers; the status alone cannot tell a gated repo from a bad token.
import {
  BadTokenError,
  DisabledRepoError,
  EndpointAuthError,
  EntryNotFoundError,
  GatedRepoError,
  type HfxError,
  HttpStatusError,
  RateLimitedError,
  RepoNotFoundError,
  RevisionNotFoundError,
} from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'

export interface ResponseFacts {
  status: number
  headers: Record<string, string | string[] | undefined>
  url: string
}

export interface RequestContext {
  endpoint: string
  repoId: string
  revision?: string
  path?: string
  tokenSource?: string
}

function header(facts: ResponseFacts, name: string): string | undefined {
  const v = facts.headers[name]
  return Array.isArray(v) ? v[0] : v
}

export function errorFromResponse(facts: ResponseFacts, ctx: RequestContext, retryAfterMs?: number): HfxError {
  const code = header(facts, 'x-error-code')
  const message = header(facts, 'x-error-message') ?? ''
  const hasToken = ctx.tokenSource !== undefined
  // Not the Hub but a proxy in front of a mirror: Basic auth, and none of the Hub's X-Error-* headers.
  if (facts.status === 401 && !code && /^\s*basic\b/i.test(header(facts, 'www-authenticate') ?? '')) {
    return new EndpointAuthError(ctx.endpoint)
  }
  // Order matters: a bad token makes every route answer 401, so it is checked before "not found".
  if (facts.status === 401 && /invalid credentials/i.test(message) && ctx.tokenSource) {
    return new BadTokenError(ctx.endpoint, ctx.tokenSource)
  }
  if (/access to this resource is disabled/i.test(message)) return new DisabledRepoError(ctx.repoId)
  switch (code) {
    case 'GatedRepo':
      return new GatedRepoError(ctx.repoId, hasToken, ctx.endpoint)
    case 'RepoNotFound':
      return new RepoNotFoundError(ctx.repoId, hasToken, ctx.endpoint)
    case 'RevisionNotFound':
      return new RevisionNotFoundError(ctx.repoId, ctx.revision ?? 'main', ctx.endpoint)
    case 'EntryNotFound':
      return new EntryNotFoundError(ctx.repoId, ctx.path ?? '(unknown path)', ctx.revision ?? 'main')
  }
  if (facts.status === 429) return new RateLimitedError(redactUrl(facts.url), retryAfterMs)
  // Without an error code, a 401/404 on the Hub means the repo is missing or private.
  if ((facts.status === 401 || facts.status === 404) && !ctx.path) {
    return new RepoNotFoundError(ctx.repoId, hasToken, ctx.endpoint)
  }
  if (facts.status === 404 && ctx.path) {
    return new EntryNotFoundError(ctx.repoId, ctx.path, ctx.revision ?? 'main')
  }
  return new HttpStatusError(facts.status, redactUrl(facts.url), message || undefined, retryAfterMs)
}

/** Where a file's bytes were asked for: its URL (the Hub's resolve URL, or a CDN's) and what it is. */
export interface FileSource {
  url: string
  repoId: string
  path: string
  commit: string
}

/**
 * A failed answer to a request for a file's bytes (a download range, a header read): the Hub's own errors
 * when the Hub answered, a plain status error from anywhere else (a CDN knows nothing of repos or tokens).
 */
export function fileAnswerError(
  res: ResponseFacts,
  src: FileSource,
  endpoint: string,
  tokenSource: string | undefined,
  serverWaitMs: number | undefined,
): HfxError {
  if (new URL(src.url).origin === new URL(endpoint).origin) {
    return errorFromResponse(res, { endpoint, repoId: src.repoId, revision: src.commit, path: src.path, tokenSource }, serverWaitMs)
  }
  return new HttpStatusError(res.status, redactUrl(src.url), undefined, serverWaitMs)
}
