// The two HTTP origins every emulated hub has (its API and the storage its redirects point at), on
// 127.0.0.1 (or an address inside a test's own network namespace): request log, latency, status faults and socket tracking, shared by the Hugging Face and
// ModelScope emulators; each hub only brings its router.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { sendFaultStatus, type Exchange } from './reply.js'
import type { HubState } from './state.js'

export type Origin = 'hub' | 'cdn'
export type Router = (origin: Origin, ex: Exchange) => Promise<void>

function listen(server: Server, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`))
  })
}

/** Starts both origins, sets state.url / state.cdnUrl; the returned close() also ends stalled sockets. */
export async function startOrigins(state: HubState, route: Router): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>()

  async function handle(origin: Origin, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex: Exchange = {
      origin,
      req,
      res,
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      log: { origin, method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, status: 0, range: req.headers.range, bytesSent: 0 },
    }
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
    const server = createServer((req, res) => {
      handle(origin, req, res).catch((err: unknown) => {
        // An emulator bug must fail the test loudly, not hang it.
        if (res.headersSent) res.destroy()
        else res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`emulator error: ${String(err)}`)
      })
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    return server
  }

  const servers = [makeServer('hub'), makeServer('cdn')]
  state.url = await listen(servers[0], state.options.listenHost)
  const cdn = new URL(await listen(servers[1], state.options.listenHost))
  cdn.hostname = state.options.cdnHost
  state.cdnUrl = cdn.origin
  return {
    async close() {
      state.closing.abort()
      const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))
      for (const socket of sockets) socket.destroy()
      await Promise.all(closed)
    },
  }
}
