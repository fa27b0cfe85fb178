// Lists a repo's files at one commit. The Hub pages the listing (1,000 entries, fewer with expand) and
// links the next page in a `Link: <…>; rel="next"` header; a client that stops at page one loses files.
import { EntryNotFoundError, ProtocolError } from '../../errors.js'
import { treeUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef } from '../../repo/repo-ref.js'
import { getJson, type HubIO, type JsonResponse } from '../get-json.js'
import type { TreeEntry } from '../hub.js'
import { ListingBudget, MAX_LISTING_PAGE_BYTES } from '../listing-budget.js'
import { fileAt } from './paths-info.js'
import { toTreeEntry } from './tree-entry.js'

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
    const ctx = { endpoint: io.http.endpoint, repoId: repoName(ref), revision: commit, path: opts.path }
    let answer: JsonResponse
    try {
      answer = await getJson(io, url, ctx, { maxBytes: MAX_LISTING_PAGE_BYTES })
    } catch (err) {
      // The tree endpoint knows folders only: for a file's path it answers EntryNotFound. Asked for one
      // file (`hfx ls org/name config.json`, a …/blob/main/config.json URL), list that file.
      const file = page === 0 && opts.path && err instanceof EntryNotFoundError ? await fileAt(io, ref, commit, opts.path) : undefined
      if (!file) throw err
      yield file
      return
    }
    const { body, headers, bytes } = answer
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
