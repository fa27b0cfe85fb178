// What a scan of the cache found, as plain values: every decision about listing, verifying or deleting is
// made on this shape by pure functions, and only scan-cache.ts / apply-deletion.ts touch the disk.
import type { RepoType } from '../repo/repo-ref.js'

export interface BlobFile {
  /** The file name in blobs/: the etag (sha256 for LFS files, git blob sha1 otherwise). */
  name: string
  /** st_size, the apparent size: what huggingface_hub's scan_cache_dir reports as size_on_disk. */
  size: number
  atimeMs: number
  mtimeMs: number
}

/** The partial files of one blob (hfx's and huggingface_hub's, with hfx's sidecars): interrupted downloads. */
export interface PartialDownload {
  etag: string
  /** File names in blobs/ that belong to it. */
  files: string[]
  /** Bytes really on disk (allocated blocks, capped at the length): hfx's partials are sparse. */
  size: number
  /** The newest mtime of its files: a download in progress touches at least one of them. */
  mtimeMs: number
  /** One of its files belongs to an hfx process running on this host: being written, whatever its age. */
  live?: boolean
}

export type SnapshotFile =
  /** A symlink that resolves into this repo's blobs/ (huggingface_hub's layout). `blob` may be absent (dangling). */
  | { path: string; kind: 'blob'; blob: string }
  /** A regular file, as huggingface_hub writes where symlinks are unavailable (Windows without developer mode). */
  | { path: string; kind: 'file'; size: number }
  /** A symlink leading anywhere else, or a fifo/socket: never read, never followed. */
  | { path: string; kind: 'foreign'; target?: string }

export interface Snapshot {
  commit: string
  files: SnapshotFile[]
  /** The newest mtime of its folders and links: a pull adds links before it writes refs/<rev>. */
  mtimeMs: number
}

export interface Ref {
  /** As the user names it: `main`, `v1.0`, `refs/pr/1` (stored at refs/refs/pr/1). */
  name: string
  commit: string
}

export interface CachedRepo {
  type: RepoType
  id: string
  /** models--org--name */
  folder: string
  blobs: BlobFile[]
  partials: PartialDownload[]
  snapshots: Snapshot[]
  refs: Ref[]
  /** Commits with a `.no_exist/<commit>/` folder of "this file does not exist" markers. */
  noExist: string[]
  /** Commits with an hfx manifest at `<folder>/.hfx/manifests/<commit>.json`. */
  manifests: string[]
}

export interface CacheScan {
  cacheDir: string
  repos: CachedRepo[]
}

/** Blob names a snapshot uses through its links. */
export function blobsUsedBy(s: Snapshot): Set<string> {
  return new Set(s.files.flatMap((f) => (f.kind === 'blob' ? [f.blob] : [])))
}

export function refsTo(repo: CachedRepo, commit: string): string[] {
  return repo.refs.filter((r) => r.commit === commit).map((r) => r.name).sort()
}

/** Each blob counted once, however many snapshots link it. */
export function blobBytes(repo: CachedRepo, names?: Iterable<string>): number {
  const sizes = new Map(repo.blobs.map((b) => [b.name, b.size]))
  let total = 0
  for (const n of new Set(names ?? sizes.keys())) total += sizes.get(n) ?? 0
  return total
}
