// The cache seen as a hub, for `HF_HUB_OFFLINE=1 hfx ls` and `hfx info`: the commit comes from the one
// offline resolver (local-revision.ts), the listing from the cached snapshot, and file bytes from its blobs.
// It is chosen where the session is made (session.ts), so ls and info run unchanged on top of it. A
// snapshot holds only what was pulled: the listing is the files on disk, not necessarily the whole commit.
// Snapshot links are followed only into the repo's own blobs/ folder, so a link planted in a shared
// cache cannot make `info` read /dev/zero or another user's file.
import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL, fileURLToPath } from 'node:url'
import { EntryNotFoundError, OfflineError } from '../errors.js'
import type { HubIO } from '../hub/get-json.js'
import type { FileLocation, Hub, RangeSource, ReadMeter, RepoInfo, TreeEntry, TreeFile } from '../hub/hub.js'
import type { HubName } from '../repo/hub-name.js'
import { defaultRevision, formatRepoRef, repoName, type RepoRef } from '../repo/repo-ref.js'
import { safeJoin } from '../repo/safe-path.js'
import { repoCache, snapshotDir } from './layout.js'
import { ambiguousError, resolveLocal } from './local-revision.js'
import { manifestFile, readManifest } from './manifest.js'
import { scanRevisions } from './scan-cache.js'
import { walk } from './walk.js'
import { openRegular } from '../no-follow.js'

export class CachedHub implements Hub {
  constructor(
    readonly name: HubName,
    readonly io: HubIO,
    private readonly cacheDir: string,
    private readonly offlineVar: string,
  ) {}

  async resolveRevision(ref: RepoRef): Promise<RepoInfo> {
    const revision = ref.revision ?? defaultRevision(ref)
    const resolved = resolveLocal(await scanRevisions(this.cacheDir, ref), revision, defaultRevision(ref))
    const name = formatRepoRef({ ...ref, revision: undefined, path: undefined })
    if (!resolved.found && resolved.matches.length) throw ambiguousError(`${name}@${revision}`, resolved.matches, OfflineError)
    if (!resolved.found) {
      throw new OfflineError(`${this.offlineVar} is set and ${name}@${revision} is not in the cache (${this.cacheDir}).`, `Unset ${this.offlineVar} to reach the Hub.`)
    }
    // What only the Hub knows (gating, tags, the card's metadata) is left empty rather than guessed.
    return { id: ref.id, commit: resolved.commit, revision, gated: false, private: false, tags: [], cardData: {} }
  }

  async *listTree(ref: RepoRef, commit: string, opts: { path?: string } = {}): AsyncGenerator<TreeEntry> {
    const rc = repoCache(this.cacheDir, ref)
    const root = snapshotDir(rc, commit)
    const etags = new Map((await readManifest(manifestFile(this.cacheDir, ref, commit)))?.files.map((f) => [f.path, f.etag]) ?? [])
    const base = opts.path?.replace(/\/+$/, '')
    for (const rel of await walk(root)) {
      if (base && rel !== base && !rel.startsWith(`${base}/`)) continue
      const blob = await this.blobOf(ref, commit, rel)
      if (!blob) continue // a dangling link or one that leaves blobs/: not a cached file
      yield treeFile(rel, blob.size, etags.get(rel) ?? path.basename(blob.file))
    }
  }

  async locateFile(ref: RepoRef, commit: string, repoPath: string): Promise<FileLocation> {
    const blob = await this.blobOf(ref, commit, repoPath)
    if (!blob) throw new EntryNotFoundError(ref.id, repoPath, commit)
    return { url: pathToFileURL(blob.file).href, size: blob.size, commit }
  }

  async downloadUrl(ref: RepoRef, commit: string, repoPath: string): Promise<string> {
    return (await this.locateFile(ref, commit, repoPath)).url
  }

  async readSmallFile(ref: RepoRef, commit: string, repoPath: string, limit: number, meter: ReadMeter): Promise<Buffer> {
    const { url, size = 0 } = await this.locateFile(ref, commit, repoPath)
    if (size > limit) throw new OfflineError(`${repoPath} is larger than ${limit} bytes; not read.`)
    return this.readRange({ url, repoId: repoName(ref), path: repoPath, commit }, 0, size, meter)
  }

  async readRange(src: RangeSource, start: number, end: number, meter: ReadMeter): Promise<Buffer> {
    const fh = await openRegular(fileURLToPath(src.url), 'r')
    try {
      const buf = Buffer.alloc(Math.max(0, end - start))
      const { bytesRead } = await fh.read(buf, 0, buf.length, start)
      meter.bytes += bytesRead
      return buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  }

  /** The blob a snapshot entry stands for, if it is a regular file in this repo's blobs/ or the snapshot itself. */
  private async blobOf(ref: RepoRef, commit: string, repoPath: string): Promise<{ file: string; size: number } | undefined> {
    const rc = repoCache(this.cacheDir, ref)
    try {
      const file = await realpath(safeJoin(snapshotDir(rc, commit), repoPath))
      // A link into blobs/ (huggingface_hub's layout), or a plain file in the snapshot (its layout without symlinks).
      const roots = await Promise.all([realpath(rc.blobsDir).catch(() => rc.blobsDir), realpath(snapshotDir(rc, commit))])
      if (!roots.some((r) => file.startsWith(`${r}${path.sep}`))) return undefined
      const st = await stat(file)
      return st.isFile() ? { file, size: st.size } : undefined
    } catch {
      return undefined
    }
  }
}

/** Blob names say the hash: 64 hex digits are an LFS file's sha256, 40 a git blob sha1. */
function treeFile(repoPath: string, size: number, etag: string): TreeFile {
  return etag.length === 64 ? { type: 'file', path: repoPath, size, oid: '', lfs: { oid: etag, size } } : { type: 'file', path: repoPath, size, oid: etag }
}

