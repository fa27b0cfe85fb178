// Lists a repo's files at one commit. The Hub pages the listing (1,000 entries, fewer with expand) and
// links the next page in a `Link: <…>; rel="next"` header; a client that stops at page one loses files.
import { ProtocolError } from '../../errors.js'
import { treeUrl } from '../../repo/hub-urls.js'
import type { RepoRef } from '../../repo/repo-ref.js'
import { unsafeReason } from '../../repo/safe-path.js'
import { getJson, type HubIO } from '../get-json.js'
import type { TreeEntry, TreeFile } from '../hub.js'
import { ListingBudget, MAX_LISTING_PAGE_BYTES } from '../listing-budget.js'

/**
 * Guards against a server that links pages in a loop or without end, even empty ones (listing-budget.ts
 * bounds their bytes and entries): at the Hub's 1,000 entries a page that is ten million entries.
 */
const MAX_PAGES = 10_000

export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header
  if (!value) return undefined
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (m && /\brel\s*=\s*"?next"?/i.test(m[2])) return m[1]
  }
  return undefined
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

/**
 * Validates one entry from the server: nonsense sizes and hashes stop the run. A hostile path is marked
 * `unsafe` rather than thrown, so that ls and info can show it; collect-tree.ts refuses it for everyone else.
 */
export function toTreeEntry(raw: unknown): TreeEntry {
  const e = raw as Record<string, unknown>
  if (!e || typeof e !== 'object' || typeof e.path !== 'string') {
    throw new ProtocolError(`the Hub listed a malformed tree entry: ${JSON.stringify(raw)?.slice(0, 200)}`)
  }
  const path = e.path
  const unsafe = unsafeReason(path)
  if (e.type === 'directory') return unsafe ? { type: 'directory', path, unsafe } : { type: 'directory', path }
  if (e.type !== 'file' || !isCount(e.size) || typeof e.oid !== 'string' || !/^[0-9a-f]{40}$/.test(e.oid)) {
    throw new ProtocolError(`the Hub listed ${JSON.stringify(path)} with a missing or invalid type, size or oid.`)
  }
  const file: TreeFile = { type: 'file', path, size: e.size, oid: e.oid }
  const lfs = e.lfs as Record<string, unknown> | undefined
  if (lfs) {
    if (typeof lfs.oid !== 'string' || !/^[0-9a-f]{64}$/.test(lfs.oid) || !isCount(lfs.size)) {
      throw new ProtocolError(`the Hub listed ${JSON.stringify(path)} with an invalid LFS sha256 or size.`)
    }
    file.lfs = { oid: lfs.oid, size: lfs.size }
    file.size = lfs.size
  }
  if (typeof e.xetHash === 'string') file.xetHash = e.xetHash
  if (unsafe) file.unsafe = unsafe
  return file
}

export async function* listTree(
  io: HubIO,
  ref: RepoRef,
  commit: string,
  opts: { path?: string; recursive?: boolean } = {},
): AsyncGenerator<TreeEntry> {
  const endpointOrigin = new URL(io.http.endpoint).origin
  const budget = new ListingBudget(`the Hub's file listing for ${ref.id}`)
  let url: string | undefined = treeUrl(io.http.endpoint, ref, commit, opts.path, { recursive: opts.recursive ?? true })
  const seen = new Set<string>()
  for (let page = 0; url; page++) {
    if (page >= MAX_PAGES || seen.has(url)) {
      throw new ProtocolError(`the Hub's file listing for ${ref.id} does not end (page ${page + 1}); refusing to follow it.`)
    }
    seen.add(url)
    const ctx = { endpoint: io.http.endpoint, repoId: ref.id, revision: commit, path: opts.path }
    const { body, headers, bytes } = await getJson(io, url, ctx, { maxBytes: MAX_LISTING_PAGE_BYTES })
    budget.page(bytes)
    if (!Array.isArray(body)) throw new ProtocolError(`the Hub's file listing for ${ref.id} is not a JSON array.`)
    for (const raw of body) {
      budget.entry()
      yield toTreeEntry(raw)
    }
    const next = nextLink(headers.link)
    url = next ? new URL(next, url).toString() : undefined
    if (url && new URL(url).origin !== endpointOrigin) {
      throw new ProtocolError(`the Hub's file listing links its next page to another host (${new URL(url).origin}).`)
    }
  }
}
