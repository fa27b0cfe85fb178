// startModelScope(): an in-process ModelScope on 127.0.0.1 with two origins, the API and an object store
// that LFS downloads redirect to. Faults, throttling, signed URLs, Range and byte counting are the Hub
// emulator's own modules (test/emulator/), so both hubs misbehave in exactly the same ways.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { sendFaultStatus, type Exchange } from '../emulator/reply.js'
import { HubState } from '../emulator/state.js'
import { handleApi, type MsState } from './api-routes.js'
import { handleOss } from './oss-routes.js'
import { Repo } from './repos.js'
import type { ModelScope, ModelScopeOptions, MsFileSpec, MsRepo, MsRepoOptions } from './types.js'

export type * from './types.js'

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })
}

export async function startModelScope(opts: ModelScopeOptions = {}): Promise<ModelScope> {
  const lfsThreshold = opts.lfsThreshold ?? 10 * 1024
  const state: MsState = { hub: new HubState({ urlTtlMs: opts.urlTtlMs }), repos: new Map(), tokens: new Map() }
  const sockets = new Set<Socket>()
  let counter = 0

  async function handle(origin: 'hub' | 'cdn', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex: Exchange = {
      origin,
      req,
      res,
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      log: { origin, method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, status: 0, range: req.headers.range, bytesSent: 0 },
    }
    state.hub.requests.push(ex.log)
    await state.hub.throttle.latency(state.hub.closing.signal)
    if (state.hub.closing.signal.aborted) return
    const fault = state.hub.faults.take({ origin, servesBody: false })
    if (fault?.kind === 'status') return sendFaultStatus(ex, fault)
    return origin === 'hub' ? handleApi(state, ex) : handleOss(state, ex)
  }

  function makeServer(origin: 'hub' | 'cdn'): Server {
    const server = createServer((req, res) => {
      handle(origin, req, res).catch((err: unknown) => {
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

  const apiServer = makeServer('hub')
  const ossServer = makeServer('cdn')
  state.hub.url = await listen(apiServer)
  state.hub.cdnUrl = await listen(ossServer)

  return {
    url: state.hub.url,
    ossUrl: state.hub.cdnUrl,
    requests: state.hub.requests,
    addRepo(id: string, files: Record<string, MsFileSpec>, repoOpts: MsRepoOptions = {}): MsRepo {
      const repo = new Repo(id, repoOpts, lfsThreshold, () => ++counter)
      if (state.repos.has(`${repo.type}:${id}`)) throw new Error(`addRepo: ${repo.type} ${id} already exists`)
      repo.commit(files, { message: 'Initial commit' })
      state.repos.set(`${repo.type}:${id}`, repo)
      return repo
    },
    addToken: (token, repos) => void state.tokens.set(token, repos),
    inject: (fault) => state.hub.faults.inject(fault),
    throttle: (t) => state.hub.throttle.set(t),
    bytesServed: (filePath, repoId) => state.hub.bytesServed(filePath, repoId),
    resetLog: () => state.hub.resetLog(),
    async close() {
      state.hub.closing.abort()
      const closed = [apiServer, ossServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve())))
      for (const socket of sockets) socket.destroy()
      await Promise.all(closed)
    },
  }
}
