// startHub(): an in-process Hugging Face Hub with two origins on 127.0.0.1 — the hub (API, resolve)
// and a CDN that LFS files redirect to — plus fault injection, throttling and a request log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { handleCdn } from './cdn-routes.js'
import { handleHub } from './hub-routes.js'
import { sendFaultStatus, type Exchange } from './reply.js'
import { Repo } from './repos.js'
import { HubState } from './state.js'
import type { EmuRepo, FileSpec, Hub, HubOptions, RepoOptions } from './types.js'

export type * from './types.js'

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })
}

export async function startHub(opts: HubOptions = {}): Promise<Hub> {
  const state = new HubState(opts)
  const sockets = new Set<Socket>()

  async function handle(origin: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex: Exchange = {
      origin,
      req,
      res,
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      log: {
        origin,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        status: 0,
        range: req.headers.range,
        bytesSent: 0,
      },
    }
    state.requests.push(ex.log)
    await state.throttle.latency(state.closing.signal)
    if (state.closing.signal.aborted) return
    const fault = state.faults.take({ origin, servesBody: false })
    if (fault?.kind === 'status') return sendFaultStatus(ex, fault)
    return origin === 'hub' ? handleHub(state, ex) : handleCdn(state, ex)
  }

  function makeServer(origin: 'hub' | 'cdn'): Server {
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

  const hubServer = makeServer('hub')
  const cdnServer = makeServer('cdn')
  state.url = await listen(hubServer)
  state.cdnUrl = await listen(cdnServer)

  const hub: Hub = {
    url: state.url,
    cdnUrl: state.cdnUrl,
    requests: state.requests,
    addRepo(id: string, files: Record<string, FileSpec>, repoOpts: RepoOptions = {}): EmuRepo {
      const type = repoOpts.type ?? 'model'
      if (state.findRepo(type, id)) throw new Error(`addRepo: ${type} ${id} already exists`)
      const repo = new Repo(id, type, repoOpts, state.options.lfsThreshold, () => state.nextCommit())
      repo.commit(files, { message: 'Initial commit' })
      state.repos.set(`${type}:${id}`, repo)
      return repo
    },
    addToken(token, grant = {}) {
      state.tokens.set(token, grant)
    },
    inject: (fault) => state.faults.inject(fault),
    clearFaults: () => state.faults.clear(),
    throttle: (t) => state.throttle.set(t),
    bytesServed: (filePath, repoId) => state.bytesServed(filePath, repoId),
    resetLog: () => state.resetLog(),
    async close() {
      state.closing.abort()
      const closed = [hubServer, cdnServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve())))
      for (const socket of sockets) socket.destroy()
      await Promise.all(closed)
    },
  }
  return hub
}
