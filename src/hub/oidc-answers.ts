// Keyless auth's two requests as values: the id-token URL for GitHub's runtime, the RFC 8693 exchange body,
// and the two answers read back, each checked before hfx uses it. Pure; hub/oidc-exchange.ts does the I/O.
import { ProtocolError } from '../errors.js'

/** RFC 8693's token exchange with an OIDC id token as the subject, as the Hub documents it (trusted-publishers). */
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token'

/** Longest server text quoted in a message: an error page is not worth a screenful. */
const MAX_DETAIL = 300

/**
 * A token goes into an Authorization header: printable ASCII without spaces. Anything else is refused here,
 * so that undici never gets to complain about the header (and no message ever has a reason to quote it).
 */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/

/**
 * The runtime's URL with `audience` added: GitHub hands out a URL that already has a query (api-version), and
 * the id token's `aud` must name the endpoint that checks it (huggingface_hub asks for its ENDPOINT).
 */
export function idTokenRequestUrl(requestUrl: string, audience: string): string | undefined {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return undefined
  }
  url.searchParams.set('audience', audience)
  return url.href
}

/** JSON, as huggingface_hub sends it and the Hub documents it ("Content-Type: application/json"). */
export function exchangeBody(idToken: string, resource: string): string {
  return JSON.stringify({ grant_type: GRANT_TYPE, subject_token_type: ID_TOKEN_TYPE, subject_token: idToken, resource })
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function tokenIn(body: Record<string, unknown> | undefined, field: string): string | undefined {
  const value = body?.[field]
  return typeof value === 'string' && TOKEN_SHAPE.test(value) ? value : undefined
}

/** GitHub's runtime answers `{"count": …, "value": "<jwt>"}`. */
export function idTokenFrom(raw: string): string {
  const token = tokenIn(parseObject(raw), 'value')
  if (token) return token
  throw new ProtocolError(
    'the GitHub Actions runtime answered the id-token request without a usable token (expected JSON {"value": "<jwt>"}).',
    'ACTIONS_ID_TOKEN_REQUEST_URL should be the one GitHub sets for the job; run the job again, and check that nothing in the step overrides it.',
  )
}

export interface AccessToken {
  value: string
  /** Seconds the token lasts (the Hub: 3600); unset when the answer does not say. */
  expiresInS?: number
}

/** The Hub answers `{"access_token": "hf_…", "token_type": "bearer", "expires_in": 3600, …}`. */
export function accessTokenFrom(raw: string, endpoint: string): AccessToken {
  const body = parseObject(raw)
  const value = tokenIn(body, 'access_token')
  const expiresIn = body?.expires_in
  if (value) return { value, expiresInS: typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined }
  throw new ProtocolError(
    `${endpoint} answered the OIDC token exchange without a usable access token (expected JSON {"access_token": "…"}).`,
    'Check HF_ENDPOINT: keyless auth (HF_OIDC_RESOURCE) needs the Hugging Face Hub, or a mirror that offers /oauth/token.',
  )
}

/** huggingface_hub re-exchanges this long before the token expires. */
const RENEW_MARGIN_S = 300
/** setTimeout's longest delay; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** When to exchange again: five minutes before expiry, or halfway through a shorter life. */
export function renewAfterMs(expiresInS: number): number {
  return Math.min(Math.max(expiresInS - RENEW_MARGIN_S, expiresInS / 2) * 1000, MAX_TIMER_MS)
}

/**
 * What a refusal says, for the one-line error: the OAuth `error` code and its `error_description` (the Hub's
 * shape), else X-Error-Message or a JSON `error`/`message`, else nothing. Cut short, and with every secret
 * hfx holds blanked out: a server that echoes the id token back must not get it printed. Control characters
 * are left to the CLI's printer, which shows them as escapes.
 */
export function refusalDetail(raw: string, errorMessageHeader: string | undefined, secrets: string[]): string | undefined {
  const body = parseObject(raw)
  const text = (field: string) => (typeof body?.[field] === 'string' ? (body[field] as string).trim() : '') || undefined
  const code = text('error')
  const description = text('error_description')
  let detail = description ? (code ? `${code}: ${description}` : description) : (errorMessageHeader?.trim() || code || text('message'))
  if (!detail) return undefined
  for (const secret of secrets) if (secret) detail = detail.split(secret).join('[redacted]')
  return detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail
}
