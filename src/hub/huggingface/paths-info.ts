// One entry of a commit by its path. The tree endpoint lists folders only and answers 404 EntryNotFound for a
// file's path; paths-info answers with the entries that exist among the paths asked (none: an empty list).
import { ProtocolError } from '../../errors.js'
import { pathsInfoUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef } from '../../repo/repo-ref.js'
import { getJson, type HubIO } from '../get-json.js'
import type { TreeFile } from '../hub.js'
import { toTreeEntry } from './tree-entry.js'

/** The file at `path`, or undefined when the commit has no file there (nothing, or a folder). */
export async function fileAt(io: HubIO, ref: RepoRef, commit: string, path: string): Promise<TreeFile | undefined> {
  const url = pathsInfoUrl(io.http.endpoint, ref, commit)
  const ctx = { endpoint: io.http.endpoint, repoId: repoName(ref), revision: commit, path }
  const { body } = await getJson(io, url, ctx, { method: 'POST', body: JSON.stringify({ paths: [path] }) })
  if (!Array.isArray(body)) throw new ProtocolError(`the Hub's paths-info answer for ${repoName(ref)} is not a JSON array.`)
  for (const raw of body) {
    const entry = toTreeEntry(raw)
    if (entry.type === 'file' && entry.path === path) return entry
  }
  return undefined
}
