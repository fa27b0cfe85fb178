// startHub(): an in-process Hugging Face Hub with two origins on 127.0.0.1 — the hub (API, resolve)
// and a CDN that LFS files redirect to — plus fault injection, throttling and a request log.
import { handleCdn } from './cdn-routes.js'
import { handleHub } from './hub-routes.js'
import { startOrigins } from './origins.js'
import { Repo } from './repos.js'
import { HubState } from './state.js'
import type { EmuRepo, FileSpec, Hub, HubOptions, RepoOptions } from './types.js'

export type * from './types.js'

export async function startHub(opts: HubOptions = {}): Promise<Hub> {
  const state = new HubState(opts)
  const origins = await startOrigins(state, (origin, ex) => (origin === 'hub' ? handleHub(state, ex) : handleCdn(state, ex)))

  const hub: Hub = {
    url: state.url,
    cdnUrl: state.cdnUrl,
    caFile: origins.caFile,
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
    addTrustedPublisher(publisher) {
      state.publishers.push(publisher)
    },
    exchangedTokens: state.exchanged,
    inject: (fault) => state.faults.inject(fault),
    clearFaults: () => state.faults.clear(),
    throttle: (t) => state.throttle.set(t),
    bytesServed: (filePath, repoId) => state.bytesServed(filePath, repoId),
    resetLog: () => state.resetLog(),
    close: () => origins.close(),
  }
  return hub
}
