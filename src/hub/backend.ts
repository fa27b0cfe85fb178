// The three things a hub must answer for hfx to list, inspect and pull from it: which commit a revision
// is, which files that commit holds, and where a file's bytes are. The Hugging Face Hub (and its mirrors)
// is the default; another hub (ModelScope) plugs in here, and every command, the pull engine, progress,
// verification and the cache stay the same.
import type { RepoRef } from '../repo/repo-ref.js'
import type { HubIO } from './get-json.js'
import type { FileLocation } from './file-head.js'
import type { RepoInfo } from './revision.js'
import type { TreeEntry } from './tree.js'

export interface HubBackend {
  /** Shown in messages: "ModelScope". */
  readonly name: string
  resolveRevision(io: HubIO, ref: RepoRef): Promise<RepoInfo>
  listTree(io: HubIO, ref: RepoRef, commit: string, opts: { path?: string; recursive?: boolean }): AsyncGenerator<TreeEntry>
  /** Where Range requests for this file go (no bytes are fetched). */
  locateFile(io: HubIO, ref: RepoRef, commit: string, path: string): Promise<FileLocation>
}
