// The hub origin: parses /api/... and /{prefix}{id}/resolve|raw/... URLs, checks the caller, dispatches.
import { canSee, identify } from './access.js'
import { pathsInfo, refsListing, repoInfo, treeListing, treeSize } from './api-routes.js'
import { serveFile } from './file-routes.js'
import { oauthToken } from './oauth-routes.js'
import { basicAuthRequired, invalidCredentials, repoDisabled, repoNotFound } from './hub-errors.js'
import { sendJson, sendNotFound, type Exchange } from './reply.js'
import type { HubState } from './state.js'
import type { RepoType } from './types.js'

const API_KINDS: Record<string, RepoType> = { models: 'model', datasets: 'dataset', spaces: 'space' }
const URL_PREFIXES: Record<string, RepoType> = { datasets: 'dataset', spaces: 'space' }
const API_ACTIONS = new Set(['revision', 'tree', 'paths-info', 'treesize', 'refs'])
const FILE_ACTIONS = new Set(['resolve', 'raw'])

export interface HubRoute {
  type: RepoType
  id: string
  action: string
  /** Decoded segments after the action: the revision, then the path's segments. */
  rest: string[]
}

/**
 * Repo ids are "org/name", or a single name for legacy models (gpt2). A one-segment id is taken when
 * an action follows it directly, unless "org/name" names an existing repo.
 */
function splitId(state: HubState, type: RepoType, segs: string[], actions: Set<string>) {
  const two = `${segs[0]}/${segs[1]}`
  if (segs.length >= 2 && state.findRepo(type, two)) return { id: two, after: segs.slice(2) }
  if (segs.length === 1 || actions.has(segs[1]!)) return { id: segs[0]!, after: segs.slice(1) }
  return { id: two, after: segs.slice(2) }
}

export function parseHubRoute(state: HubState, pathname: string): HubRoute | undefined {
  let segs: string[]
  try {
    // Split before decoding: an encoded revision (refs%2Fpr%2F1) is one segment.
    segs = pathname.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined
  }
  if (segs[0] === 'api') {
    const type = API_KINDS[segs[1] ?? '']
    if (!type || segs.length < 3) return undefined
    const { id, after } = splitId(state, type, segs.slice(2), API_ACTIONS)
    const action = after[0] ?? 'info'
    if (action !== 'info' && !API_ACTIONS.has(action)) return undefined
    return { type, id, action, rest: after.slice(1) }
  }
  const prefixed = URL_PREFIXES[segs[0] ?? '']
  const repoSegs = prefixed ? segs.slice(1) : segs
  if (repoSegs.length < 2) return undefined
  const type = prefixed ?? 'model'
  const { id, after } = splitId(state, type, repoSegs, FILE_ACTIONS)
  if (!FILE_ACTIONS.has(after[0] ?? '')) return undefined
  return { type, id, action: after[0]!, rest: after.slice(1) }
}

function methodNotAllowed(ex: Exchange): void {
  sendJson(ex, 405, { error: `Method ${ex.req.method} not allowed` })
}

export async function handleHub(state: HubState, ex: Exchange): Promise<void> {
  const caller = identify(state, ex.req)
  if (caller.kind === 'basicRequired') return basicAuthRequired(ex)
  // The exchange carries no Authorization of its own: the id token in the body is the credential.
  if (ex.url.pathname === '/oauth/token') return oauthToken(state, ex)
  if (caller.kind === 'invalid') return invalidCredentials(ex)
  const route = parseHubRoute(state, ex.url.pathname)
  if (!route) return sendNotFound(ex)
  const repo = state.findRepo(route.type, route.id)
  if (!repo || !canSee(repo, caller)) return repoNotFound(ex, caller)
  ex.log.repoId = repo.id
  if (repo.disabled) return repoDisabled(ex)

  const method = ex.req.method ?? ''
  const readOnly = method === 'GET' || method === 'HEAD'
  const [rev, ...pathSegs] = route.rest
  const path = pathSegs.filter((s) => s !== '').join('/')
  switch (route.action) {
    case 'info':
      return readOnly ? repoInfo(ex, repo, 'main') : methodNotAllowed(ex)
    case 'revision':
      if (pathSegs.length > 0) return sendNotFound(ex)
      return readOnly ? repoInfo(ex, repo, rev) : methodNotAllowed(ex)
    case 'tree':
      return readOnly ? treeListing(state, ex, repo, rev, path) : methodNotAllowed(ex)
    case 'treesize':
      return readOnly ? treeSize(ex, repo, rev, path) : methodNotAllowed(ex)
    case 'refs':
      if (route.rest.length > 0) return sendNotFound(ex)
      return readOnly ? refsListing(ex, repo) : methodNotAllowed(ex)
    case 'paths-info':
      return method === 'POST' ? pathsInfo(ex, repo, rev) : methodNotAllowed(ex)
    case 'resolve':
    case 'raw':
      return readOnly ? serveFile(state, ex, repo, caller, route.action, rev, path) : methodNotAllowed(ex)
  }
  sendNotFound(ex)
}
