// What a hub must answer for hfx to list, inspect and pull from it: which commit a revision is, which files
// that commit holds, where a file's bytes are, and a small file's contents. The Hugging Face Hub (and its
// mirrors, huggingface/) and ModelScope (modelscope/) each implement it as an object that holds its own
// HubIO; which one a run uses is decided once, where the session is opened (session.ts). Everything above
// (commands, the pull engine, summaries, the cache) sees only this interface and its result types.
import type { HubName } from '../repo/hub-name.js'
import type { RepoRef } from '../repo/repo-ref.js'
import type { RetryNotice } from '../retry/with-retry.js'
import type { HubIO } from './get-json.js'

export interface RepoInfo {
  id: string
  commit: string
  revision: string
  gated: false | 'auto' | 'manual'
  private: boolean
  tags: string[]
  cardData: Record<string, unknown>
  libraryName?: string
  pipelineTag?: string
  lastModified?: string
  /** What the Hub itself read from config.json and the safetensors headers: given even when the files are gated. */
  model?: ApiModelFacts
}

export interface ApiModelFacts {
  architectures?: string[]
  modelType?: string
  /** Parameters by dtype as the Hub counts them (scale tensors included), and their total. */
  safetensors?: { parameters: Record<string, number>; total: number }
}

export interface TreeFile {
  type: 'file'
  path: string
  size: number
  /** git blob sha1 of the file (for LFS files: of the pointer); empty where the hub has none (ModelScope). */
  oid: string
  /** sha256 of the content, for LFS (and Xet) files, and for every ModelScope file. */
  lfs?: { oid: string; size: number }
  xetHash?: string
  /** Why hfx must not write this path (safe-path.ts); set only by listings that keep such entries. */
  unsafe?: string
}
export interface TreeDir {
  type: 'directory'
  path: string
  unsafe?: string
}
export type TreeEntry = TreeFile | TreeDir

export interface FileLocation {
  /** Where to send Range requests: the CDN (or object storage) URL for LFS files, the hub's own URL otherwise. */
  url: string
  etag?: string
  size?: number
  commit?: string
}

/** A located file that a summary reads a few bytes of (hub.readRange). */
export interface RangeSource {
  url: string
  /** For errors from the Hub origin: which repo and file they are about. */
  repoId: string
  path: string
  commit: string
}

/** Body bytes received, and requests sent, while building a summary. */
export interface ReadMeter {
  bytes: number
  requests: number
}

export interface Hub {
  readonly name: HubName
  /** The session's transport, for reading bytes at a located URL (pull fetches, summary Range reads). */
  readonly io: HubIO
  resolveRevision(ref: RepoRef): Promise<RepoInfo>
  /** The entries under the folder `path` (the whole repo without one); the file itself when `path` names a file. */
  listTree(ref: RepoRef, commit: string, opts?: { path?: string; recursive?: boolean }): AsyncGenerator<TreeEntry>
  /** Where a file's bytes are, with what the hub says about them; no bytes are fetched. */
  locateFile(ref: RepoRef, commit: string, path: string, opts?: { onRetry?: (n: RetryNotice) => void }): Promise<FileLocation>
  /** Where Range requests for a file go, asking the hub only when its answer is needed. */
  downloadUrl(ref: RepoRef, commit: string, path: string, opts: { lfs: boolean }): Promise<string>
  /** A small file's whole contents (config.json, an index), refused past `limit` bytes; bytes and requests counted. */
  readSmallFile(ref: RepoRef, commit: string, path: string, limit: number, meter: ReadMeter): Promise<Buffer>
  /** Bytes [start, end) of a located file (fewer when it ends first): the few bytes of a header, for summaries. */
  readRange(src: RangeSource, start: number, end: number, meter: ReadMeter): Promise<Buffer>
}
