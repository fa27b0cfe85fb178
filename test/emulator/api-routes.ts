// /api/{kind}/{id}[...]: repo info by revision, paginated tree, paths-info, treesize and refs.
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { commitOr404, entryNotFound } from './hub-errors.js'
import { sendBuffer, sendHubError, sendJson, type Exchange } from './reply.js'
import { modelFacts } from './model-facts.js'
import type { Repo } from './repos.js'
import type { HubState } from './state.js'
import { decodeCursor, encodeCursor, entriesFor, listDirectory, withLastCommit } from './tree.js'

// paths-info bodies are a list of paths; anything much larger is a client bug, not a request.
const MAX_BODY_BYTES = 10 * 1024 * 1024

/** Python's requests sends a bool query parameter as `True`, httpx as `true`; the Hub takes both. */
function isTrue(value: string | null): boolean {
  return ['true', '1'].includes((value ?? '').toLowerCase())
}

export function repoInfo(ex: Exchange, repo: Repo, rev: string | undefined): void {
  const commit = commitOr404(ex, repo, rev)
  if (!commit) return
  const card = repo.cardData ?? {}
  sendJson(ex, 200, {
    _id: createHash('sha1').update(`${repo.type}:${repo.id}`).digest('hex').slice(0, 24),
    id: repo.id,
    author: repo.id.includes('/') ? repo.id.split('/')[0] : undefined,
    sha: commit.sha,
    private: repo.private,
    gated: repo.gated,
    disabled: false,
    tags: repo.tags,
    cardData: repo.cardData,
    siblings: [...commit.files.keys()].map((rfilename) => ({ rfilename })),
    lastModified: commit.date.toISOString(),
    createdAt: repo.createdAt.toISOString(),
    downloads: 0,
    likes: 0,
    library_name: typeof card.library_name === 'string' ? card.library_name : undefined,
    pipeline_tag: typeof card.pipeline_tag === 'string' ? card.pipeline_tag : undefined,
    ...(repo.type === 'model' ? modelFacts(commit) : {}),
    ...repo.infoOverride,
  })
}

export function treeListing(state: HubState, ex: Exchange, repo: Repo, rev: string | undefined, path: string): void {
  const commit = commitOr404(ex, repo, rev)
  if (!commit) return
  if (repo.rawTreeOverride) return sendJson(ex, 200, repo.rawTreeOverride)
  const params = ex.url.searchParams
  if (repo.rawTreePages) return rawTreePage(state, ex, repo.rawTreePages)
  const recursive = isTrue(params.get('recursive'))
  const expand = isTrue(params.get('expand'))
  const entries = listDirectory(commit, path, recursive)
  if (!entries) return entryNotFound(ex, commit, path)

  const cursor = params.get('cursor')
  const offset = cursor === null ? 0 : decodeCursor(cursor)
  if (offset === undefined) return sendHubError(ex, 400, 'BadRequest', 'Invalid cursor')
  const end = offset + state.options.pageSize
  const page = entries.slice(offset, end)
  const headers: Record<string, string> = {}
  if (end < entries.length) {
    const next = new URL(ex.url.pathname + ex.url.search, state.url)
    next.searchParams.set('cursor', encodeCursor(end))
    headers.Link = `<${next.href}>; rel="next"`
  }
  sendJson(ex, 200, expand ? withLastCommit(page, commit) : page, headers)
}

function rawTreePage(state: HubState, ex: Exchange, pages: NonNullable<Repo['rawTreePages']>): void {
  const page = Number(ex.url.searchParams.get('page') ?? '0')
  if (!Number.isSafeInteger(page) || page < 0 || page >= pages.count) return sendHubError(ex, 400, 'BadRequest', 'Invalid page')
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (page + 1 < pages.count) {
    const next = new URL(ex.url.pathname + ex.url.search, state.url)
    next.searchParams.set('page', String(page + 1))
    headers.Link = `<${next.href}>; rel="next"`
  }
  sendBuffer(ex, 200, pages.body(page), headers)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('paths-info body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** huggingface_hub posts a form (paths=a&paths=b), huggingface.js posts JSON: accept both. */
function parsePathsBody(body: string, contentType: string): { paths: string[]; expand: boolean } | undefined {
  if (contentType.includes('json')) {
    try {
      const json = JSON.parse(body) as { paths?: unknown; expand?: unknown }
      if (!Array.isArray(json.paths) || !json.paths.every((p) => typeof p === 'string')) return undefined
      return { paths: json.paths as string[], expand: json.expand === true }
    } catch {
      return undefined
    }
  }
  const form = new URLSearchParams(body)
  return { paths: form.getAll('paths'), expand: isTrue(form.get('expand')) }
}

export async function pathsInfo(ex: Exchange, repo: Repo, rev: string | undefined): Promise<void> {
  const body = await readBody(ex.req)
  const commit = commitOr404(ex, repo, rev)
  if (!commit) return
  const parsed = parsePathsBody(body, ex.req.headers['content-type'] ?? '')
  if (!parsed) return sendHubError(ex, 400, 'BadRequest', 'Expected {paths: string[]}')
  const entries = entriesFor(commit, parsed.paths)
  sendJson(ex, 200, parsed.expand ? withLastCommit(entries, commit) : entries)
}

export function treeSize(ex: Exchange, repo: Repo, rev: string | undefined, path: string): void {
  const commit = commitOr404(ex, repo, rev)
  if (!commit) return
  const entries = listDirectory(commit, path, true)
  if (!entries) return entryNotFound(ex, commit, path)
  const size = entries.reduce((sum, e) => sum + e.size, 0)
  sendJson(ex, 200, { path, size })
}

/** GET /api/{kind}/{id}/refs[?include_prs=1]: {branches, converts, tags[, pullRequests]}, each {name, ref, targetCommit}. */
export function refsListing(ex: Exchange, repo: Repo): void {
  sendJson(ex, 200, repo.listRefs(isTrue(ex.url.searchParams.get('include_prs'))))
}
