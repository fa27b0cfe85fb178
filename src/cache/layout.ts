// Where things live in the huggingface_hub cache. transformers, vLLM and SGLang read the same tree, so these
// names are a compatibility contract, not a choice: see "Cache layout" in hub-protocol.md (in ../shared/docs/,
// beside this repo).
import path from 'node:path'
import { UnsafePathError } from '../errors.js'
import type { RepoType } from '../repo/repo-ref.js'
import { safeJoin } from '../repo/safe-path.js'

type Repo = { type: RepoType; id: string }

export interface RepoCache {
  repoDir: string
  blobsDir: string
  snapshotsDir: string
  refsDir: string
  locksDir: string
  noExistDir: string
}

export interface LocalDirMetadata {
  commit: string
  etag: string
  timestamp: number // unix seconds, fractional as Python's time.time()
}

export function repoFolderName(ref: Repo): string {
  return `${ref.type}s--${ref.id.replace(/\//g, '--')}`
}

export function repoCache(cacheDir: string, ref: Repo): RepoCache {
  const folder = repoFolderName(ref)
  const repoDir = path.join(cacheDir, folder)
  return {
    repoDir,
    blobsDir: path.join(repoDir, 'blobs'),
    snapshotsDir: path.join(repoDir, 'snapshots'),
    refsDir: path.join(repoDir, 'refs'),
    locksDir: path.join(cacheDir, '.locks', folder),
    noExistDir: path.join(repoDir, '.no_exist'),
  }
}

export function blobPath(rc: RepoCache, etag: string): string {
  return path.join(rc.blobsDir, checkName(etag))
}

export function lockPath(rc: RepoCache, etag: string): string {
  return path.join(rc.locksDir, `${checkName(etag)}.lock`)
}

export function snapshotDir(rc: RepoCache, commit: string): string {
  return path.join(rc.snapshotsDir, checkName(commit))
}

export function snapshotPath(rc: RepoCache, commit: string, repoPath: string): string {
  return safeJoin(snapshotDir(rc, commit), repoPath)
}

/** Where huggingface_hub's "this commit has no such file" markers go: empty files at `.no_exist/<commit>/<path>`. */
export function noExistDir(rc: RepoCache, commit: string): string {
  return path.join(rc.noExistDir, checkName(commit))
}

/** Revisions with slashes nest, as huggingface_hub writes them: refs/pr/1 -> refs/refs/pr/1. */
export function refPath(rc: RepoCache, revision: string): string {
  return safeJoin(rc.refsDir, revision)
}

/** Relative, so the cache folder can be moved or mounted elsewhere: one `..` per folder level, plus one for snapshots/<commit>. */
export function symlinkTarget(repoPath: string, etag: string): string {
  const depth = repoPath.split('/').length
  return path.join(...Array<string>(depth + 1).fill('..'), 'blobs', checkName(etag))
}

export function localDirMetadataPath(localDir: string, repoPath: string): string {
  return safeJoin(path.join(localDir, '.cache', 'huggingface', 'download'), `${repoPath}.metadata`)
}

/** huggingface_hub's write_download_metadata format: commit, etag, time.time(), one per line. */
export function formatLocalDirMetadata(m: LocalDirMetadata): string {
  return `${m.commit}\n${m.etag}\n${m.timestamp}\n`
}

/** Undefined for anything malformed: huggingface_hub then deletes the file and re-checks the data, as should we. */
export function parseLocalDirMetadata(text: string): LocalDirMetadata | undefined {
  const [commit, etag, time] = text.split('\n').map((line) => line.trim())
  if (!commit || !etag || !time || !/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(time)) return undefined
  const timestamp = Number(time)
  return Number.isFinite(timestamp) ? { commit, etag, timestamp } : undefined
}

/** Etags and commits come from server headers and become file names: allow only hash-like single names. */
function checkName(name: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name) || name.length > 255) {
    throw new UnsafePathError(name, 'an etag or commit must be a plain hash-like name')
  }
  return name
}

const FOLDER_TYPES: Record<string, RepoType> = { models: 'model', datasets: 'dataset', spaces: 'space' }

/** The inverse of repoFolderName, for reading a cache others wrote: undefined for anything that is not a repo folder
 * (`.locks`, `.hfx`, `CACHEDIR.TAG`, a user's stray file). Repo ids never hold `--`, so the split is unambiguous. */
export function parseRepoFolderName(folder: string): Repo | undefined {
  const parts = folder.split('--')
  const type = FOLDER_TYPES[parts[0]]
  if (!type || parts.length < 2 || parts.length > 3 || parts.slice(1).some((p) => p === '')) return undefined
  return { type, id: parts.slice(1).join('/') }
}
