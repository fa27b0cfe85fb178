// What `hfx serve` reads from the cache, and the only place it touches the disk. Nothing is written. A
// revision is what the cache's one offline resolver says it is (cache/local-revision.ts), and a file is
// served only if its snapshot entry resolves (realpath) to a regular file in that repo's own blobs/ folder,
// named by its etag: a link planted in a shared cache (snapshots/<commit>/evil -> /etc/passwd) is not a file
// of the repo, and a plain file in a snapshot has no known etag. Both are left out of listings and answer 404.
import { lstat, realpath } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { repoCache, snapshotDir } from '../cache/layout.js'
import { resolveLocal } from '../cache/local-revision.js'
import { scanRevisions } from '../cache/scan-cache.js'
import { openRegular } from '../no-follow.js'
import type { RepoType } from '../repo/repo-ref.js'
import { isSafeRepoPath, safeJoin } from '../repo/safe-path.js'
import { isRealDir, walk } from '../cache/walk.js'
import type { CachedFile } from './tree-entries.js'

const ETAG = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

export interface Repo {
  type: RepoType
  id: string
}

export type Resolved = { found: true; commit: string } | { found: false; missing: 'repo' | 'revision' }

export interface OpenBlob {
  fh: FileHandle
  etag: string
  size: number
}

/** What the server reads: the cache (this file) or one --local-dir (local-dir-source.ts). */
export interface ServeSource {
  readonly root: string
  resolve(repo: Repo, revision: string): Promise<Resolved>
  /** Every servable file of the commit, sorted by path. */
  files(repo: Repo, commit: string): Promise<CachedFile[]>
  /** The file, opened (no symlink at the last step), or undefined when there is no such servable file. */
  open(repo: Repo, commit: string, repoPath: string): Promise<OpenBlob | undefined>
}

export class CacheSource implements ServeSource {
  constructor(readonly cacheDir: string) {}

  get root(): string {
    return this.cacheDir
  }

  /** The cached commit a revision names; only a commit with a snapshot folder counts. */
  async resolve(repo: Repo, revision: string): Promise<Resolved> {
    const rc = repoCache(this.cacheDir, repo)
    if (!(await isRealDir(rc.repoDir))) return { found: false, missing: 'repo' }
    const local = await scanRevisions(this.cacheDir, repo)
    const r = resolveLocal(local, revision, 'main')
    if (!r.found || !local.snapshots.includes(r.commit)) return { found: false, missing: 'revision' }
    return { found: true, commit: r.commit }
  }

  async files(repo: Repo, commit: string): Promise<CachedFile[]> {
    const root = snapshotDir(repoCache(this.cacheDir, repo), commit)
    const out: CachedFile[] = []
    for (const rel of await walk(root)) {
      const blob = await this.blobOf(repo, commit, rel)
      if (blob) out.push({ path: rel, etag: blob.etag, size: blob.size })
    }
    return out
  }

  async open(repo: Repo, commit: string, repoPath: string): Promise<OpenBlob | undefined> {
    const blob = await this.blobOf(repo, commit, repoPath)
    if (!blob) return undefined
    const fh = await openRegular(blob.file, 'r').catch(() => undefined)
    if (!fh) return undefined
    const { size } = await fh.stat()
    return { fh, etag: blob.etag, size }
  }

  private async blobOf(repo: Repo, commit: string, repoPath: string): Promise<{ file: string; etag: string; size: number } | undefined> {
    if (!isSafeRepoPath(repoPath)) return undefined
    const rc = repoCache(this.cacheDir, repo)
    try {
      const file = await realpath(safeJoin(snapshotDir(rc, commit), repoPath))
      const blobs = await realpath(rc.blobsDir)
      if (path.dirname(file) !== blobs || !ETAG.test(path.basename(file))) return undefined
      const st = await lstat(file)
      return st.isFile() ? { file, etag: path.basename(file), size: st.size } : undefined
    } catch {
      return undefined
    }
  }
}


