// A fake GitHub Actions runtime on 127.0.0.1, for keyless-auth tests: the id-token endpoint a job with
// `permissions: id-token: write` finds in ACTIONS_ID_TOKEN_REQUEST_URL. It answers GET …?api-version=2.0&audience=X
// with {"count": 1, "value": "<jwt>"} when the bearer is its own request token, signed with a key the Hub
// emulator is given through addTrustedPublisher. Every request is logged; refuse() makes it say no.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { signJwt } from '../emulator/jwt.js'

export interface RuntimeRequest {
  method: string
  /** The audience asked for, or null. */
  audience: string | null
  headers: IncomingHttpHeaders
}

export interface ActionsRuntime {
  /** What GitHub puts in ACTIONS_ID_TOKEN_REQUEST_URL (with its api-version query). */
  requestUrl: string
  /** What GitHub puts in ACTIONS_ID_TOKEN_REQUEST_TOKEN: this runtime's own bearer. */
  requestToken: string
  issuer: string
  key: Buffer
  /** The claims every minted id token carries besides iss, aud, iat and exp. */
  claims: Record<string, string>
  requests: RuntimeRequest[]
  /** Every id token minted, in order. */
  minted: string[]
  /** The next answers (all of them with times: Infinity) are this status and body instead of a token. */
  refuse(status: number, body: string, times?: number): void
  /** The env a job with `id-token: write` has. */
  env(): Record<string, string>
  close(): Promise<void>
}

export async function startActionsRuntime(): Promise<ActionsRuntime> {
  const key = randomBytes(32)
  const requestToken = `ghs_runtime_${randomBytes(12).toString('hex')}`
  const issuer = 'https://token.actions.githubusercontent.com'
  const claims = { repository: 'acme/app', ref: 'refs/heads/main', sub: 'repo:acme/app:ref:refs/heads/main' }
  const requests: RuntimeRequest[] = []
  const minted: string[] = []
  let refusal: { status: number; body: string; times: number } | undefined
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({ method: req.method ?? '', audience: url.searchParams.get('audience'), headers: { ...req.headers } })
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body)
    }
    if (refusal && refusal.times > 0) {
      refusal.times--
      reply(refusal.status, refusal.body)
      return
    }
    if (req.method !== 'GET' || url.pathname !== '/idtoken' || url.searchParams.get('api-version') !== '2.0') {
      reply(404, '{"message":"Not found"}')
      return
    }
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      reply(401, '{"message":"Bad credentials"}')
      return
    }
    const audience = url.searchParams.get('audience')
    const now = Math.floor(Date.now() / 1000)
    const jwt = signJwt({ ...claims, iss: issuer, aud: audience ?? 'https://github.com/acme', iat: now, exp: now + 300 }, key)
    minted.push(jwt)
    reply(200, JSON.stringify({ count: jwt.length, value: jwt }))
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const requestUrl = `${origin}/idtoken?api-version=2.0`

  return {
    requestUrl,
    requestToken,
    issuer,
    key,
    claims,
    requests,
    minted,
    refuse(status, body, times = Infinity) {
      refusal = { status, body, times }
    },
    env: () => ({ GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
