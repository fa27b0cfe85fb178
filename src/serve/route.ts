// Which Hub route a request names, read from the raw request target. The path is split and each segment
// percent-decoded by hand: WHATWG URL parsing would fold `..` and `%2e%2e` away before anything could refuse
// them, and a file name may hold an encoded `/` that must be checked as part of the repo path, not skipped.
import type { RepoType } from '../repo/repo-ref.js'
import { isSafeRepoPath } from '../repo/safe-path.js'

export type Route =
  | { kind: 'info'; type: RepoType; id: string; revision?: string }
  | { kind: 'tree'; type: RepoType; id: string; revision: string; path: string }
  | { kind: 'paths-info'; type: RepoType; id: string; revision: string }
  | { kind: 'resolve'; type: RepoType; id: string; revision: string; path: string }

export interface Request {
  route?: Route
  query: URLSearchParams
}

const API_TYPES: Record<string, RepoType> = { models: 'model', datasets: 'dataset', spaces: 'space' }
/** One Hub name segment (org or repo name); `..` and `.` are never names. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const API_VERBS = new Set(['revision', 'tree', 'paths-info'])

/** The route, or no route when the target is malformed, unsafe or not a route this server answers. */
export function parseTarget(target: string): Request {
  const q = target.indexOf('?')
  const query = new URLSearchParams(q >= 0 ? target.slice(q + 1) : '')
  const segments = decodeSegments(q >= 0 ? target.slice(0, q) : target)
  if (segments?.[0] !== '') return { query }
  const route = segments[1] === 'api' ? apiRoute(segments.slice(2)) : fileRoute(segments.slice(1))
  return { route, query }
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    const out = pathname.split('/').map((s) => decodeURIComponent(s))
    return out.some((s) => s.includes('\0')) ? undefined : out
  } catch {
    return undefined // a malformed %-escape
  }
}

/** `id` is `org/name` or a bare `name` (gpt2): the verb after it tells which, trying the two-segment form first. */
function splitId(rest: string[], verbs: Set<string>): { id: string; verb?: string; tail: string[] } | undefined {
  for (const n of [2, 1]) {
    if (rest.length < n) continue
    const name = rest.slice(0, n)
    if (!name.every((s) => NAME.test(s) && !s.includes('..'))) continue
    if (rest.length === n) return { id: name.join('/'), tail: [] }
    if (verbs.has(rest[n])) return { id: name.join('/'), verb: rest[n], tail: rest.slice(n + 1) }
  }
  return undefined
}

function apiRoute(rest: string[]): Route | undefined {
  const type = API_TYPES[rest[0]]
  if (!type) return undefined
  const parts = splitId(rest.slice(1), API_VERBS)
  if (!parts) return undefined
  const { id, verb, tail } = parts
  if (!verb) return { kind: 'info', type, id }
  const revision = tail[0]
  if (!revision) return undefined
  if (verb === 'revision') return tail.length === 1 ? { kind: 'info', type, id, revision } : undefined
  if (verb === 'paths-info') return tail.length === 1 ? { kind: 'paths-info', type, id, revision } : undefined
  const path = tail.slice(1).join('/').replace(/\/+$/, '')
  if (path !== '' && !isSafeRepoPath(path)) return undefined
  return { kind: 'tree', type, id, revision, path }
}

/** `/{id}/resolve/…` for models, `/datasets/{id}/resolve/…` and `/spaces/{id}/resolve/…` for the others. */
function fileRoute(rest: string[]): Route | undefined {
  const prefixed = rest[0] === 'datasets' || rest[0] === 'spaces'
  const type: RepoType = prefixed ? API_TYPES[rest[0]] : 'model'
  const parts = splitId(prefixed ? rest.slice(1) : rest, new Set(['resolve']))
  if (!parts?.verb || parts.tail.length < 2) return undefined
  const [revision, ...file] = parts.tail
  const path = file.join('/')
  if (!revision || !isSafeRepoPath(path)) return undefined
  return { kind: 'resolve', type, id: parts.id, revision, path }
}
