// The two HTTP origins every emulated hub has (its API and the storage its redirects point at), on
// 127.0.0.1 (or an address inside a test's own network namespace): request log, latency, status faults and
// socket tracking, shared by the Hugging Face and ModelScope emulators; each hub only brings its router. With
// HubOptions.tls, the CDN (or both) speak HTTPS with a throwaway certificate (throwaway-cert.ts), as the real
// CDN does: the bench then counts TLS too.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { sendFaultStatus, type Exchange } from './reply.js'
import type { HubState } from './state.js'
import { makeThrowawayCert, type ThrowawayCert } from './throwaway-cert.js'

export type Origin = 'hub' | 'cdn'
export type Router = (origin: Origin, ex: Exchange) => Promise<void>

function listen(server: Server, host: string, scheme: 'http' | 'https'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve(`${scheme}://${host}:${(server.address() as AddressInfo).port}`))
  })
}

function overTls(state: HubState, origin: Origin): boolean {
  return state.options.tls === 'both' || (state.options.tls === 'cdn' && origin === 'cdn')
}

/**
 * Starts both origins, sets state.url / state.cdnUrl; the returned close() also ends stalled sockets and
 * deletes the throwaway CA, whose file `caFile` names while the origins run (with HubOptions.tls).
 */
export async function startOrigins(state: HubState, route: Router): Promise<{ caFile?: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const cert: ThrowawayCert | undefined = state.options.tls ? await makeThrowawayCert() : undefined

  async function handle(origin: Origin, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex: Exchange = {
      origin,
      req,
      res,
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      log: { origin, method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, status: 0, range: req.headers.range, bytesSent: 0 },
    }
    const socket = req.socket as TLSSocket
    if (socket.encrypted) ex.log.tls = `${socket.getProtocol()} ${socket.getCipher().name}`
    state.requests.push(ex.log)
    await state.throttle.latency(state.closing.signal)
    if (state.closing.signal.aborted) return
    const fault = state.faults.take({ origin, servesBody: false, path: ex.log.path })
    if (fault?.kind === 'status') return sendFaultStatus(ex, fault)
    if (fault?.kind === 'trickle') ex.trickle = { bytesPerSec: fault.bytesPerSec, signal: state.closing.signal }
    if (fault?.kind === 'cut') ex.cut = { afterBytes: fault.afterBytes, how: fault.how }
    return route(origin, ex)
  }

  function makeServer(origin: Origin): Server {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      handle(origin, req, res).catch((err: unknown) => {
        // An emulator bug must fail the test loudly, not hang it.
        if (res.headersSent) res.destroy()
        else res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`emulator error: ${String(err)}`)
      })
    }
    const server = cert && overTls(state, origin) ? createTlsServer({ key: cert.key, cert: cert.cert }, onRequest) : createServer(onRequest)
    // The TCP socket under TLS too: destroying it ends a stalled TLS answer as well.
    server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    return server
  }

  const scheme = (origin: Origin) => (cert && overTls(state, origin) ? 'https' : 'http')
  const servers = [makeServer('hub'), makeServer('cdn')] as const
  state.url = await listen(servers[0], state.options.listenHost, scheme('hub'))
  const cdn = new URL(await listen(servers[1], state.options.listenHost, scheme('cdn')))
  cdn.hostname = state.options.cdnHost
  state.cdnUrl = cdn.origin
  return {
    caFile: cert?.caFile,
    async close() {
      state.closing.abort()
      const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))
      for (const socket of sockets) socket.destroy()
      await Promise.all(closed)
      await cert?.remove()
    },
  }
}
