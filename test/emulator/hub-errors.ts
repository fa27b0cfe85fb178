// The Hub's error answers, with the X-Error-Code / X-Error-Message pairs huggingface_hub tells apart.
import { sendBuffer, sendHubError, type Exchange } from './reply.js'
import { URL_PREFIX, type Commit, type Repo } from './repos.js'
import type { Caller } from './access.js'
import type { HubState } from './state.js'

/** A proxy's answer, not the Hub's: no X-Error-* headers, a Basic challenge. */
export function basicAuthRequired(ex: Exchange): void {
  sendBuffer(ex, 401, 'Authorization Required', { 'WWW-Authenticate': 'Basic realm="mirror"', 'Content-Type': 'text/plain' })
}

export function invalidCredentials(ex: Exchange): void {
  // No X-Error-Code: the real Hub identifies a bad token by this message alone.
  sendHubError(ex, 401, undefined, 'Invalid credentials in Authorization header')
}

/** Missing and private-without-access look the same: 401 anonymous, 404 with a valid token. */
export function repoNotFound(ex: Exchange, caller: Caller): void {
  sendHubError(ex, caller.kind === 'token' ? 404 : 401, 'RepoNotFound', 'Repository not found')
}

export function repoDisabled(ex: Exchange): void {
  sendHubError(ex, 403, undefined, 'Access to this resource is disabled.')
}

export function gatedRepo(state: HubState, ex: Exchange, repo: Repo, status: 401 | 403): void {
  const page = `${state.url}/${URL_PREFIX[repo.type]}${repo.id}`
  const message =
    status === 401
      ? `Access to ${repo.type} ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`
      : `Access to ${repo.type} ${repo.id} is restricted and you are not in the authorized list. Visit ${page} to ask for access.`
  sendHubError(ex, status, 'GatedRepo', message)
}

/** The commit for rev, or a 404 RevisionNotFound answer and undefined. */
export function commitOr404(ex: Exchange, repo: Repo, rev: string | undefined): Commit | undefined {
  const commit = rev === undefined || rev === '' ? undefined : repo.resolveRevision(rev)
  if (!commit) sendHubError(ex, 404, 'RevisionNotFound', `Invalid rev id: ${rev ?? ''}`)
  return commit
}

export function entryNotFound(ex: Exchange, commit: Commit, path: string): void {
  // X-Repo-Commit on a 404 is what lets huggingface_hub record .no_exist/<commit>/<path>.
  sendHubError(ex, 404, 'EntryNotFound', `Entry not found: ${path}`, { 'X-Repo-Commit': commit.sha })
}
