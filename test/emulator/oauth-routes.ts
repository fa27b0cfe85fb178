// POST /oauth/token: the Hub's RFC 8693 token exchange for keyless auth in CI (Trusted Publishers), as its
// docs describe it: a JSON body with grant_type, subject_token_type, subject_token (an OIDC id token whose
// `aud` is the Hub's URL) and resource; a 400 {error, error_description} on any mismatch; on success a fresh
// short-lived token, registered like addToken's so the rest of the emulator accepts it for gated and
// private repos. Only id tokens signed by a registered publisher's key (the fake Actions runtime's) pass.
import { randomBytes } from 'node:crypto'
import { peekClaims, verifyJwt } from './jwt.js'
import { sendJson, type Exchange } from './reply.js'
import type { HubState } from './state.js'

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token'
const MAX_BODY_BYTES = 64 * 1024

async function readBody(ex: Exchange): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ex.req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('/oauth/token body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function refuse(ex: Exchange, error: 'invalid_request' | 'invalid_grant', description: string): void {
  sendJson(ex, 400, { error, error_description: description })
}

export async function oauthToken(state: HubState, ex: Exchange): Promise<void> {
  if (ex.req.method !== 'POST') return sendJson(ex, 405, { error: `Method ${ex.req.method} not allowed` })
  const raw = await readBody(ex)
  if (!(ex.req.headers['content-type'] ?? '').includes('application/json')) return refuse(ex, 'invalid_request', 'Expected a JSON body')
  let body: Record<string, unknown>
  try {
    body = JSON.parse(raw) as Record<string, unknown>
  } catch {
    return refuse(ex, 'invalid_request', 'Malformed JSON body')
  }
  const { grant_type, subject_token_type, subject_token, resource } = body
  if (grant_type !== GRANT_TYPE) return refuse(ex, 'invalid_request', 'Unsupported grant_type')
  if (subject_token_type !== ID_TOKEN_TYPE) return refuse(ex, 'invalid_request', 'Unsupported subject_token_type')
  if (typeof subject_token !== 'string' || typeof resource !== 'string' || !resource) return refuse(ex, 'invalid_request', 'Missing subject_token or resource')
  const claims = peekClaims(subject_token)
  const publisher = state.publishers.find((p) => p.resource === resource && p.issuer === claims?.iss)
  if (!claims || !publisher) return refuse(ex, 'invalid_grant', `No trusted publisher matches this issuer for ${resource}`)
  if (!verifyJwt(subject_token, publisher.key)) return refuse(ex, 'invalid_grant', 'Invalid token signature')
  if (claims.aud !== state.url) return refuse(ex, 'invalid_grant', `Invalid audience: expected ${state.url}`)
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return refuse(ex, 'invalid_grant', 'Token expired')
  for (const [name, value] of Object.entries(publisher.claims ?? {})) {
    if (claims[name] !== value) return refuse(ex, 'invalid_grant', `Claim ${name} does not match`)
  }
  const token = `hf_oauth_${randomBytes(16).toString('hex')}`
  const expiresIn = publisher.expiresIn ?? 3600
  state.tokens.set(token, publisher.grant)
  state.exchanged.push(token)
  setTimeout(() => state.tokens.delete(token), expiresIn * 1000).unref()
  sendJson(ex, 200, { access_token: token, token_type: 'bearer', expires_in: expiresIn, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' })
}
