// Who is asking (from Authorization) and what they may read: private repos, gated files, disabled repos.
import type { IncomingMessage } from 'node:http'
import { URL_PREFIX, type Repo } from './repos.js'
import type { HubState } from './state.js'
import type { TokenGrant } from './types.js'

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'token'; grant: TokenGrant }
  /** An Authorization header the Hub would reject on any route. */
  | { kind: 'invalid' }
  /** basicAuth mode: the proxy in front wants its credentials first. */
  | { kind: 'basicRequired' }

export function identify(state: HubState, req: IncomingMessage): Caller {
  const auth = req.headers.authorization
  const basic = state.options.basicAuth
  if (basic) {
    // The proxy takes the Authorization header for itself: behind it, everyone is anonymous.
    const expected = `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}`
    return auth === expected ? { kind: 'anonymous' } : { kind: 'basicRequired' }
  }
  if (auth === undefined) return { kind: 'anonymous' }
  const m = /^Bearer (\S+)$/.exec(auth)
  const grant = m ? state.tokens.get(m[1]!) : undefined
  return grant ? { kind: 'token', grant } : { kind: 'invalid' }
}

function listed(list: string[] | '*' | undefined, repo: Repo): boolean {
  if (list === '*') return true
  return list?.some((id) => id === repo.id || id === `${URL_PREFIX[repo.type]}${repo.id}`) ?? false
}

/** A private repo the caller cannot read must look exactly like a missing one. */
export function canSee(repo: Repo, caller: Caller): boolean {
  return !repo.private || (caller.kind === 'token' && listed(caller.grant.repos, repo))
}

/** For file downloads of a gated repo: 401 without a token, 403 when the token was not granted access. */
export function gatedStatus(repo: Repo, caller: Caller): 401 | 403 | undefined {
  if (repo.gated === false) return undefined
  if (caller.kind !== 'token') return 401
  return listed(caller.grant.gated, repo) ? undefined : 403
}
