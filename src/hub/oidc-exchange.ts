// Keyless auth in CI (HF_OIDC_RESOURCE), as huggingface_hub ≥ 1.19 does it: an OIDC id token (from
// HF_OIDC_ID_TOKEN, or minted by the GitHub Actions runtime for audience = the endpoint) is exchanged at
// POST {endpoint}/oauth/token for a short-lived Hub token, once for the whole run. The Hub's last an hour:
// a runtime-minted one is exchanged again five minutes before it expires, as huggingface_hub does, so a long
// pull keeps going (an HF_OIDC_ID_TOKEN cannot be minted again, and is not).
//
// Where each secret goes: the runtime's own bearer (ACTIONS_ID_TOKEN_REQUEST_TOKEN) only to the runtime URL;
// the id token only to the endpoint's /oauth/token; the exchanged token only to the endpoint (hub/http.ts).
// No request follows a redirect, and no message or log line holds any of them.
import { HttpStatusError, NetworkError, OidcError } from '../errors.js'
import { redactUrl } from '../repo/hub-urls.js'
import { serverWaitMs } from '../retry/policy.js'
import { withRetry, type RetryNotice } from '../retry/with-retry.js'
import type { OidcSettings, Settings } from '../settings.js'
import { metadataDeadlineMs, withDeadline } from './deadline.js'
import { createHttp, type Http, type Token } from './http.js'
import { accessTokenFrom, exchangeBody, idTokenFrom, idTokenRequestUrl, refusalDetail, renewAfterMs, type AccessToken } from './oidc-answers.js'
import * as transport from './transport.js'

/** Both answers are a few kB of JSON; an endless body is not an answer. */
const MAX_ANSWER_BYTES = 256 * 1024
/** A flaky runtime or Hub (5xx, 429, a reset) gets two more tries; a refusal gets none. */
const ATTEMPTS = 3

/** For messages such as "the Hub rejected the token (from …) as invalid". */
export const OIDC_TOKEN_SOURCE = "HF_OIDC_RESOURCE's OIDC exchange"

const PERMISSIONS_HINT =
  'The job lacks `permissions: id-token: write`: add it to the job in the workflow file, e.g. `permissions: { id-token: write, contents: read }` (GitHub then sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN).'

interface Io {
  http: Http
  metadataTimeoutMs: number
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
}

interface Answer {
  status: number
  raw: string
  errorMessage?: string
}

/** One bounded exchange: a deadline over headers and body, retried only for 5xx, 429 and broken connections. */
function call(io: Io, url: string, what: string, opts: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<Answer> {
  return withRetry(
    () =>
      withDeadline(io, url, metadataDeadlineMs(io), async (signal) => {
        const res = await transport.send(io.http, url, { ...opts, signal, timeoutMs: io.metadataTimeoutMs })
        if (res.statusCode === 429 || res.statusCode >= 500) {
          await transport.discard(res)
          throw new HttpStatusError(res.statusCode, redactUrl(url), undefined, serverWaitMs(res.headers))
        }
        const raw = (await transport.readAll(res, url, MAX_ANSWER_BYTES)).toString('utf8')
        const header = res.headers['x-error-message']
        return { status: res.statusCode, raw, errorMessage: typeof header === 'string' ? header : undefined }
      }),
    { maxAttempts: ATTEMPTS, signal: io.signal, onRetry: io.onRetry, what },
  )
}

function noIdToken(oidc: OidcSettings): OidcError {
  if (oidc.github) {
    return new OidcError(
      'OIDC_NO_PERMISSION',
      'HF_OIDC_RESOURCE is set, but this GitHub Actions job may not mint an OIDC id token (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set).',
      PERMISSIONS_HINT,
    )
  }
  return new OidcError(
    'OIDC_NO_ID_TOKEN',
    'HF_OIDC_RESOURCE is set, but there is no OIDC id token to exchange: this is not a GitHub Actions job (GITHUB_ACTIONS=true) and HF_OIDC_ID_TOKEN is not set.',
    'On another CI, put the id token it mints for you (audience: the Hub URL) in HF_OIDC_ID_TOKEN; or unset HF_OIDC_RESOURCE to use HF_TOKEN or the token file.',
  )
}

async function idTokenFromGitHub(io: Io, oidc: OidcSettings, audience: string): Promise<string> {
  const { requestUrl, requestToken } = oidc.github ?? {}
  if (!requestUrl || !requestToken) throw noIdToken(oidc)
  const url = idTokenRequestUrl(requestUrl, audience)
  if (!url) throw new OidcError('OIDC_RUNTIME_REFUSED', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL.', 'It is set by GitHub for a job with `id-token: write`; do not set it by hand.')
  // The runtime's own bearer, never the Hub's: this request goes to GitHub, not to the endpoint.
  const answer = await call(io, url, 'OIDC id token', { method: 'GET', headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' } }).catch(
    (err: unknown) => {
      // HttpStatusError's hint blames the Hub; this was GitHub.
      if (!(err instanceof HttpStatusError)) throw err
      throw new NetworkError(redactUrl(url), `the GitHub Actions runtime kept answering HTTP ${err.status}`, { cause: err }, 'Run the job again later; see https://www.githubstatus.com.')
    },
  )
  if (answer.status !== 200) {
    const detail = refusalDetail(answer.raw, answer.errorMessage, [requestToken])
    throw new OidcError(
      'OIDC_RUNTIME_REFUSED',
      `the GitHub Actions runtime refused to mint an OIDC id token (HTTP ${answer.status} from ${redactUrl(url)})${detail ? `: ${detail}` : ''}.`,
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN is valid only inside its own job while it runs: run hfx in a step of that job, with `permissions: id-token: write`, and run the job again if it persists.',
    )
  }
  return idTokenFrom(answer.raw)
}

async function exchange(io: Io, idToken: string, resource: string): Promise<AccessToken> {
  const endpoint = io.http.endpoint
  const url = `${endpoint}/oauth/token`
  const answer = await call(io, url, 'OIDC token exchange', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: exchangeBody(idToken, resource),
  })
  if (answer.status !== 200) {
    const detail = refusalDetail(answer.raw, answer.errorMessage, [idToken])
    throw new OidcError(
      'OIDC_EXCHANGE_REFUSED',
      `${endpoint} refused the OIDC token exchange for HF_OIDC_RESOURCE=${resource} (HTTP ${answer.status})${detail ? `: ${detail}` : ''}.`,
      answer.status === 404
        ? 'This endpoint does not offer keyless auth (/oauth/token); unset HF_OIDC_RESOURCE and pass a token with HF_TOKEN.'
        : `On ${endpoint}, a trusted publisher must be set up for '${resource}' (a repo's Settings → Trusted Publishers, or a user name's Authentication settings → CI/CD Access) whose issuer and claims (repository, branch, workflow) match this job exactly.`,
    )
  }
  return accessTokenFrom(answer.raw, endpoint)
}

/** One exchange per run, whatever number of sessions it opens (a multi-repo pull): the token lasts an hour. */
const minted = new Map<string, Promise<Token>>()

/** The short-lived token for this run. A failure is not kept: the next session asks again. */
export function mintOidcToken(settings: MintSettings, opts: MintOptions = {}): Promise<Token> {
  const key = JSON.stringify([settings.endpoint, settings.oidc])
  let token = minted.get(key)
  if (!token) {
    token = mint(settings, opts)
    minted.set(key, token)
    token.catch(() => minted.delete(key))
  }
  return token
}

type MintSettings = Pick<Settings, 'endpoint' | 'metadataTimeoutMs'> & { oidc: OidcSettings }
type MintOptions = { signal?: AbortSignal; onRetry?: (notice: RetryNotice) => void }

async function mint(settings: MintSettings, opts: MintOptions): Promise<Token> {
  const { oidc } = settings
  if (!oidc.idToken && !oidc.github) throw noIdToken(oidc)
  const first = await mintOnce(settings, opts)
  // hub/http.ts reads `value` for every request: renewing it in place reaches every client holding it.
  const token: Token = { value: first.value, source: OIDC_TOKEN_SOURCE }
  if (!oidc.idToken) renewLater(token, first.expiresInS, () => mintOnce(settings, opts))
  return token
}

/** Its own small client (two requests, no token attached): the Hub's client is made with what this returns. */
async function mintOnce(settings: MintSettings, opts: MintOptions): Promise<AccessToken> {
  const { oidc } = settings
  const http = createHttp(settings.endpoint, undefined, settings.metadataTimeoutMs, 2)
  try {
    const io: Io = { http, metadataTimeoutMs: settings.metadataTimeoutMs, ...opts }
    // huggingface_hub: an explicit HF_OIDC_ID_TOKEN wins over minting one; the audience is the endpoint.
    const idToken = oidc.idToken ?? (await idTokenFromGitHub(io, oidc, http.endpoint))
    return await exchange(io, idToken, oidc.resource)
  } finally {
    await http.close()
  }
}

/**
 * A timer that does not keep the process alive. A renewal that fails keeps the current token, which still
 * has minutes to run; should it lapse, the Hub's 401 says so. Each renewal schedules the next.
 */
function renewLater(token: Token, expiresInS: number | undefined, again: () => Promise<AccessToken>): void {
  if (expiresInS === undefined) return
  const timer = setTimeout(() => {
    again().then(
      (next) => {
        token.value = next.value
        renewLater(token, next.expiresInS, again)
      },
      () => {},
    )
  }, renewAfterMs(expiresInS))
  timer.unref()
}
