// The one HTTP client: a single undici dispatcher (proxies from HTTPS_PROXY/HTTP_PROXY/NO_PROXY through
// undici's EnvHttpProxyAgent), hfx's User-Agent, and the token attached only to the endpoint's own origin.
// Beside undici, the lean reader (lean-client.ts) for file bytes, under the same headers, credentials rule
// and timeouts; lean-route.ts says which requests it may take.
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import { LeanClient, type LeanFallback, type LeanRequest, type LeanResult } from './lean-client.js'
import { undiciOnlyBecause } from './lean-route.js'
import { splitEndpointCredentials } from '../repo/hub-urls.js'
import { VERSION } from '../version.js'
import { processEnv } from '../settings.js'

export interface Token {
  value: string
  source: string
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD' | 'POST'
  headers?: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** Abort when no response headers (or no body bytes) arrive for this long. */
  timeoutMs?: number
}

/**
 * A GET of file bytes as the lean reader sends it, headers and timeouts decided here (the credentials rule
 * included): what a receive thread (pull/receive-worker.ts) needs to send it with a lean client of its own.
 */
export interface LeanPlan {
  request: Omit<LeanRequest, 'signal'>
  connectTimeoutMs: number
}

export interface Http {
  /** Without user:password@ (those stay inside this client): every URL and message is built from it. */
  readonly endpoint: string
  readonly token?: Token
  request(url: string, opts?: RequestOptions): Promise<Dispatcher.ResponseData>
  /** A GET of file bytes through the lean reader, or `{ fallback }`: send it with request() instead. */
  leanGet(url: string, opts?: Pick<RequestOptions, 'headers' | 'signal' | 'timeoutMs'>): Promise<LeanResult>
  /** How leanGet would send it, or `{ fallback }`, without sending it. */
  leanPlan(url: string, opts?: Pick<RequestOptions, 'headers' | 'timeoutMs'>): LeanPlan | LeanFallback
  close(): Promise<void>
}

/** `connectTimeoutMs`: how long a TCP/TLS connect may take (default `timeoutMs`; a mirror's is shorter). */
export function createHttp(
  endpointWithCredentials: string,
  token: Token | undefined,
  timeoutMs: number,
  connections = 64,
  connectTimeoutMs = timeoutMs,
  /** Read for the proxy variables, as undici's EnvHttpProxyAgent reads them (lean-route.ts). */
  env: Record<string, string | undefined> = processEnv(),
): Http {
  // undici drops user:password@ from a URL silently; huggingface_hub's clients send it as Basic auth instead
  // of the token's Bearer header (one Authorization header; the URL's wins there too), so hfx does the same.
  const { endpoint, basicAuth } = splitEndpointCredentials(endpointWithCredentials)
  const dispatcher = new EnvHttpProxyAgent({
    connections,
    connectTimeout: connectTimeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  })
  const lean = new LeanClient(connectTimeoutMs)
  const endpointOrigin = new URL(endpoint).origin
  const headersFor = (url: string, extra: Record<string, string> | undefined): Record<string, string> => {
    const headers: Record<string, string> = {
      'user-agent': `hfx/${VERSION}; node/${process.versions.node}`,
      // Compressed bodies have no usable Content-Length or Range semantics; ask for bytes as stored.
      'accept-encoding': 'identity',
      ...extra,
    }
    // Credentials never leave the endpoint: redirects to the CDN (another origin) go out without them.
    if (new URL(url).origin === endpointOrigin) {
      if (basicAuth) headers.authorization = basicAuth
      else if (token) headers.authorization = `Bearer ${token.value}`
    }
    return headers
  }
  const leanPlan: Http['leanPlan'] = (url, opts = {}) => {
    const why = undiciOnlyBecause(url, env)
    if (why) return { fallback: why }
    return { request: { url, headers: headersFor(url, opts.headers), timeoutMs: opts.timeoutMs ?? timeoutMs }, connectTimeoutMs }
  }
  return {
    endpoint,
    // Sent only without Basic credentials: messages must not blame a token that never left.
    token: basicAuth ? undefined : token,
    leanPlan,
    async leanGet(url, opts = {}) {
      const plan = leanPlan(url, opts)
      if ('fallback' in plan) return plan
      return lean.get({ ...plan.request, signal: opts.signal })
    },
    request(url, opts = {}) {
      const headers = headersFor(url, opts.headers)
      return request(url, {
        dispatcher,
        method: opts.method ?? 'GET',
        headers,
        body: opts.body,
        signal: opts.signal,
        headersTimeout: opts.timeoutMs ?? timeoutMs,
        bodyTimeout: opts.timeoutMs ?? timeoutMs,
      })
    },
    close: () => {
      lean.close()
      return dispatcher.close()
    },
  }
}
