// startModelScope(): an in-process ModelScope on 127.0.0.1 with two origins, the API and an object store
// that LFS downloads redirect to. Faults, throttling, signed URLs, Range and byte counting are the Hub
// emulator's own modules (test/emulator/), so both hubs misbehave in exactly the same ways.
import { startOrigins } from '../emulator/origins.js'
import { HubState } from '../emulator/state.js'
import { handleApi, type MsState } from './api-routes.js'
import { handleOss } from './oss-routes.js'
import { Repo } from './repos.js'
import type { ModelScope, ModelScopeOptions, MsFileSpec, MsRepo, MsRepoOptions } from './types.js'

export type * from './types.js'

export async function startModelScope(opts: ModelScopeOptions = {}): Promise<ModelScope> {
  const lfsThreshold = opts.lfsThreshold ?? 10 * 1024
  const state: MsState = { hub: new HubState({ urlTtlMs: opts.urlTtlMs }), repos: new Map(), tokens: new Map() }
  let counter = 0
  const origins = await startOrigins(state.hub, (origin, ex) => (origin === 'hub' ? handleApi(state, ex) : handleOss(state, ex)))

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
    close: () => origins.close(),
  }
}
