// Every Hub URL hfx requests is built here, so encoding is decided once: revisions are percent-encoded whole
// (refs/pr/1 -> refs%2Fpr%2F1, as huggingface_hub does), file paths segment by segment with '/' kept.
import { maskCredentials } from './mask-credentials.js'
import type { RepoType } from './repo-ref.js'

type Repo = { type: RepoType; id: string }

export function apiKind(type: RepoType): 'models' | 'datasets' | 'spaces' {
  return type === 'dataset' ? 'datasets' : type === 'space' ? 'spaces' : 'models'
}

/** File and web URLs put no prefix before model ids. */
export function urlPrefix(type: RepoType): '' | 'datasets/' | 'spaces/' {
  return type === 'dataset' ? 'datasets/' : type === 'space' ? 'spaces/' : ''
}

export function encodeRevision(rev: string): string {
  return encodeURIComponent(rev)
}

export function encodeRepoPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

export function repoInfoUrl(endpoint: string, ref: Repo, revision: string): string {
  return `${api(endpoint, ref)}/revision/${encodeRevision(revision)}`
}

/** A repo's info at its default branch: enough to learn that the repo exists. */
export function repoApiUrl(endpoint: string, ref: Repo): string {
  return api(endpoint, ref)
}

/** The repo's branches and tags (and converts); pull requests only when asked. */
export function refsUrl(endpoint: string, ref: Repo): string {
  return `${api(endpoint, ref)}/refs`
}

export function treeUrl(
  endpoint: string,
  ref: Repo,
  revision: string,
  path?: string,
  opts: { recursive?: boolean; expand?: boolean } = {},
): string {
  const sub = path ? `/${encodeRepoPath(path)}` : ''
  const query = [opts.recursive && 'recursive=true', opts.expand && 'expand=true'].filter(Boolean).join('&')
  return `${api(endpoint, ref)}/tree/${encodeRevision(revision)}${sub}${query ? `?${query}` : ''}`
}

export function pathsInfoUrl(endpoint: string, ref: Repo, revision: string): string {
  return `${api(endpoint, ref)}/paths-info/${encodeRevision(revision)}`
}

export function resolveUrl(endpoint: string, ref: Repo, revision: string, path: string): string {
  return `${repoWebUrl(endpoint, ref)}/resolve/${encodeRevision(revision)}/${encodeRepoPath(path)}`
}

/** The git content: for LFS files, the pointer text rather than the bytes. */
export function rawUrl(endpoint: string, ref: Repo, revision: string, path: string): string {
  return `${repoWebUrl(endpoint, ref)}/raw/${encodeRevision(revision)}/${encodeRepoPath(path)}`
}

export function repoWebUrl(endpoint: string, ref: Repo): string {
  return `${trimEndpoint(endpoint)}/${urlPrefix(ref.type)}${ref.id}`
}

/**
 * A URL fit for logs and error messages: without query string and fragment (a presigned CDN URL carries its
 * signature there, valid for an hour) and with its password masked.
 */
export function redactUrl(url: string): string {
  const cut = url.search(/[?#]/)
  return maskCredentials(cut >= 0 ? url.slice(0, cut) : url)
}

/**
 * An endpoint with `user:password@` in it, as HF_ENDPOINT may hold for a mirror behind HTTP Basic auth: the
 * endpoint without them, which every URL and message is built from, and the Authorization header they make.
 * requests and httpx read them the same way for huggingface_hub (percent-decoded, sent as Basic).
 */
export function splitEndpointCredentials(endpoint: string): { endpoint: string; basicAuth?: string } {
  const url = new URL(endpoint)
  if (url.username === '' && url.password === '') return { endpoint }
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
  url.username = ''
  url.password = ''
  return { endpoint: trimEndpoint(url.href), basicAuth: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` }
}

function api(endpoint: string, ref: Repo): string {
  return `${trimEndpoint(endpoint)}/api/${apiKind(ref.type)}/${ref.id}`
}

function trimEndpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, '')
}
