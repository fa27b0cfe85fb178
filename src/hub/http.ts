// The one HTTP client: a single undici dispatcher (proxies from HTTPS_PROXY/HTTP_PROXY/NO_PROXY through
// undici's EnvHttpProxyAgent), hfx's User-Agent, and the token attached only to the endpoint's own origin.
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import { splitEndpointCredentials } from '../repo/hub-urls.js'
import { VERSION } from '../version.js'

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

export interface Http {
  /** Without user:password@ (those stay inside this client): every URL and message is built from it. */
  readonly endpoint: string
  readonly token?: Token
  request(url: string, opts?: RequestOptions): Promise<Dispatcher.ResponseData>
  close(): Promise<void>
}

/** `connectTimeoutMs`: how long a TCP/TLS connect may take (default `timeoutMs`; a mirror's is shorter). */
export function createHttp(endpointWithCredentials: string, token: Token | undefined, timeoutMs: number, connections = 64, connectTimeoutMs = timeoutMs): Http {
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
  const endpointOrigin = new URL(endpoint).origin
  return {
    endpoint,
    // Sent only without Basic credentials: messages must not blame a token that never left.
    token: basicAuth ? undefined : token,
    request(url, opts = {}) {
      const headers: Record<string, string> = {
        'user-agent': `hfx/${VERSION}; node/${process.versions.node}`,
        // Compressed bodies have no usable Content-Length or Range semantics; ask for bytes as stored.
        'accept-encoding': 'identity',
        ...opts.headers,
      }
      // Credentials never leave the endpoint: redirects to the CDN (another origin) go out without them.
      if (new URL(url).origin === endpointOrigin) {
        if (basicAuth) headers.authorization = basicAuth
        else if (token) headers.authorization = `Bearer ${token.value}`
      }
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
    close: () => dispatcher.close(),
  }
}
