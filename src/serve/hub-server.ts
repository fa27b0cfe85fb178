// A read-only Hub over a local cache, for air-gapped sites: HF_ENDPOINT=<this> lets hf download,
// transformers and hfx fetch what the cache holds. node:http alone: five GET/HEAD/POST routes with no
// middleware need no framework, and hfx adds no dependencies.
// Every answer has the Hub's shape and headers (hub-protocol.md): repo info, the paginated tree, paths-info,
// and resolve with ETag / X-Repo-Commit / X-Linked-* / Range. LFS files are answered with 200 and their bytes
// from the same origin, as a mirror does, instead of the Hub's redirect to a CDN.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { escapeControls } from '../escape-controls.js'
import { UsageError } from '../errors.js'
import { readRange } from './byte-range.js'
import type { Repo, ServeSource } from './cache-source.js'
import { parseTarget, type Route } from './route.js'
import { allEntries, decodeCursor, encodeCursor, entriesFor, isLfsEtag, listFolder, page } from './tree-entries.js'

/** The Hub pages its tree by 1000 entries; clients follow Link rel="next" whatever the size. */
export const TREE_PAGE_SIZE = 1000
/** paths-info bodies are a list of paths; anything much larger is a client bug, not a request. */
const MAX_BODY_BYTES = 10 * 1024 * 1024

export interface ServeOptions {
  source: ServeSource
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string
  pageSize?: number
  log: (line: string) => void
}

export interface RunningServer {
  url: string
  server: Server
  close(): Promise<void>
}

export async function startHubServer(opts: ServeOptions, host: string, port: number): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const started = Date.now()
    // 'close' and not 'finish': an answer the client cut short is logged too.
    res.on('close', () => opts.log(`${req.method} ${escapeControls(pathOnly(req.url ?? ''))} ${res.statusCode} ${Date.now() - started}ms`))
    handle(opts, req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, undefined, 'Internal error')
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)))
    server.listen(port, host, () => resolve())
  })
  const addr = server.address() as AddressInfo
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
  return {
    url: `http://${hostPart}:${addr.port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      }),
  }
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): UsageError {
  const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message
  return new UsageError(`cannot listen on ${host}:${port}: ${why} (${err.code ?? 'error'}).`, 'Pick another --port (0 takes a free one), or a --host this machine has.')
}

/** The log shows the path only: a query string is the client's business. */
function pathOnly(target: string): string {
  const q = target.indexOf('?')
  return q >= 0 ? target.slice(0, q) : target
}

async function handle(opts: ServeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (opts.token !== undefined) {
    const given = bearer(req.headers.authorization)
    if (given === undefined) return sendError(res, 401, 'RepoNotFound', 'Repository not found')
    // No X-Error-Code: the Hub tells a bad token by this message alone, and clients read it so.
    if (!sameSecret(given, opts.token)) return sendError(res, 401, undefined, 'Invalid credentials in Authorization header')
  }
  const { route, query } = parseTarget(req.url ?? '/')
  const method = req.method ?? 'GET'
  if (!route) return sendError(res, 404, undefined, 'Not found')
  const wanted = route.kind === 'paths-info' ? ['POST'] : ['GET', 'HEAD']
  if (!wanted.includes(method)) return sendError(res, 405, undefined, 'Method not allowed', { Allow: wanted.join(', ') })
  const repo: Repo = { type: route.type, id: route.id }
  const revision = route.kind === 'info' ? (route.revision ?? 'main') : route.revision
  const body = route.kind === 'paths-info' ? await readBody(req) : undefined
  const resolved = await opts.source.resolve(repo, revision)
  if (!resolved.found && resolved.missing === 'repo') return sendError(res, 404, 'RepoNotFound', 'Repository not found')
  if (!resolved.found) return sendError(res, 404, 'RevisionNotFound', `Invalid rev id: ${revision}`)
  const commit = resolved.commit
  switch (route.kind) {
    case 'info':
      return repoInfo(opts, res, repo, commit)
    case 'tree':
      return tree(opts, req, res, route, commit, query)
    case 'paths-info':
      return pathsInfo(opts, res, repo, commit, body ?? '', req.headers['content-type'] ?? '')
    case 'resolve':
      return resolveFile(opts, req, res, repo, commit, route.path)
  }
}

function bearer(header: string | undefined): string | undefined {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return m?.[1]
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes before the compare. */
function sameSecret(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(given), digest(token))
}

async function repoInfo(opts: ServeOptions, res: ServerResponse, repo: Repo, commit: string): Promise<void> {
  const files = await opts.source.files(repo, commit)
  sendJson(res, 200, {
    id: repo.id,
    author: repo.id.includes('/') ? repo.id.split('/')[0] : undefined,
    sha: commit,
    private: false,
    gated: false,
    disabled: false,
    tags: [],
    siblings: files.map((f) => ({ rfilename: f.path })),
  })
}

async function tree(
  opts: ServeOptions,
  req: IncomingMessage,
  res: ServerResponse,
  route: Extract<Route, { kind: 'tree' }>,
  commit: string,
  query: URLSearchParams,
): Promise<void> {
  const all = allEntries(await opts.source.files(route, commit))
  const entries = listFolder(all, route.path, isTrue(query.get('recursive')))
  if (!entries) return sendError(res, 404, 'EntryNotFound', `Entry not found: ${route.path}`, { 'X-Repo-Commit': commit })
  const cursor = query.get('cursor')
  const offset = cursor === null ? 0 : decodeCursor(cursor)
  if (offset === undefined) return sendError(res, 400, 'BadRequest', 'Invalid cursor')
  const { items, next } = page(entries, offset, opts.pageSize ?? TREE_PAGE_SIZE)
  const headers: Record<string, string> = {}
  if (next !== undefined) {
    const params = new URLSearchParams(query)
    params.set('cursor', encodeCursor(next))
    const base = `http://${req.headers.host ?? 'localhost'}`
    headers.Link = `<${base}${pathOnly(req.url ?? '/')}?${params}>; rel="next"`
  }
  sendJson(res, 200, items, headers)
}

async function pathsInfo(opts: ServeOptions, res: ServerResponse, repo: Repo, commit: string, body: string, contentType: string): Promise<void> {
  const paths = parsePaths(body, contentType)
  if (!paths) return sendError(res, 400, 'BadRequest', 'Expected {paths: string[]}')
  sendJson(res, 200, entriesFor(allEntries(await opts.source.files(repo, commit)), paths))
}

/** huggingface_hub posts a form (paths=a&paths=b), huggingface.js posts JSON: both are taken. */
function parsePaths(body: string, contentType: string): string[] | undefined {
  if (!contentType.includes('json')) return new URLSearchParams(body).getAll('paths')
  try {
    const json = JSON.parse(body) as { paths?: unknown }
    return Array.isArray(json.paths) && json.paths.every((p) => typeof p === 'string') ? (json.paths as string[]) : undefined
  } catch {
    return undefined
  }
}

async function resolveFile(opts: ServeOptions, req: IncomingMessage, res: ServerResponse, repo: Repo, commit: string, repoPath: string): Promise<void> {
  const blob = await opts.source.open(repo, commit, repoPath)
  // X-Repo-Commit on a 404 is what lets huggingface_hub record .no_exist/<commit>/<path>.
  if (!blob) return sendError(res, 404, 'EntryNotFound', `Entry not found: ${repoPath}`, { 'X-Repo-Commit': commit })
  try {
    const { etag, size } = blob
    const headers: Record<string, string> = {
      ETag: `"${etag}"`,
      'X-Repo-Commit': commit,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      ...(isLfsEtag(etag) ? { 'X-Linked-Etag': `"${etag}"`, 'X-Linked-Size': String(size) } : {}),
    }
    const range = readRange(req.headers.range, size)
    if (range.kind === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }).end()
      return
    }
    const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1]
    const length = Math.max(0, end - start + 1)
    if (range.kind === 'part') headers['Content-Range'] = `bytes ${start}-${end}/${size}`
    res.writeHead(range.kind === 'part' ? 206 : 200, { ...headers, 'Content-Length': String(length) })
    if (req.method === 'HEAD' || length === 0) {
      res.end()
      return
    }
    await pipeline(blob.fh.createReadStream({ start, end, autoClose: false }), res)
  } finally {
    await blob.fh.close()
  }
}

function isTrue(value: string | null): boolean {
  return ['true', '1'].includes((value ?? '').toLowerCase())
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value))
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length), ...headers })
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

/** The Hub's error answer: the code and message in X-Error-* headers, the message in the JSON body. */
function sendError(res: ServerResponse, status: number, code: string | undefined, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, { 'X-Error-Message': message, ...(code ? { 'X-Error-Code': code } : {}), ...headers })
}
