// Where a pull puts files: the shared huggingface_hub cache (blobs + snapshot symlinks + refs), or plain
// files in a --local-dir with huggingface_hub's metadata beside them. The pull pipeline only sees this
// interface, so both modes share every byte of the fetch and verify path.
import { createHash } from 'node:crypto'
import { lstat, lutimes, readlink } from 'node:fs/promises'
import path from 'node:path'
import {
  blobPath,
  formatLocalDirMetadata,
  localDirMetadataPath,
  lockPath,
  parseLocalDirMetadata,
  repoCache,
  repoFolderName,
  snapshotDir,
  snapshotPath,
  symlinkTarget,
  type RepoCache,
} from '../cache/layout.js'
import type { TreeFile } from '../hub/tree.js'
import { readSmallFile } from '../no-follow.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { checkLocalDirPath, safeJoin } from '../repo/safe-path.js'
import { tagLocalDirMetadata } from '../cache/cachedir-tag.js'
import { manifestName, manifestPath as manifestIn, MANIFESTS_SEGMENTS } from '../cache/hfx-names.js'
import { PartialListing, removeLeftovers, resumableBytes, type PartialSite } from './claim-partial.js'
import type { FileState, PlannedFile } from './plan.js'
import { copyIntoPlace, ensureDirs, linkAt, makeParents, moveVerified, type VerifiedFile, writeFileAtomic } from './publish.js'

/** Metadata files, refs and manifests are small; anything bigger is not one of them (or is /dev/zero). */
const MAX_STATE_FILE = 64 * 1024 * 1024

export interface Target {
  /** What the user gets: the snapshot folder or the local folder. */
  root: string
  commit: string
  /** The folder whose filesystem receives the bytes (for the free-space check). */
  spaceDir: string
  /** Folders the pull writes in, checked before planning (pull/writable.ts); each may not exist yet. */
  writeDirs: string[]
  /** How to pick another place, for the hint when the target cannot be written. */
  elsewhere: string
  stateOf(f: TreeFile, etag: string): Promise<FileState>
  /** Where partial downloads of this file live (the folder is created); `fresh` lists it again. */
  partialSite(f: PlannedFile, fresh: boolean): Promise<PartialSite>
  /** Deletes abandoned partials of a file that is complete on disk (finished by another tool, say). */
  dropLeftovers(f: PlannedFile): Promise<void>
  /** The blob's lock file, its folder made; undefined when that folder is a symlink or cannot be made. */
  lockPath(f: PlannedFile): Promise<string | undefined>
  /** Whether the verified content is on disk now (another process may have finished it meanwhile). */
  isComplete(f: PlannedFile): Promise<boolean>
  /** Makes a verified partial file visible at its path. */
  publish(f: PlannedFile, verified: VerifiedFile): Promise<void>
  /** Makes already-complete content visible at this path. */
  link(f: PlannedFile): Promise<void>
  /** Marks complete content this pull reuses as in use now, so that a concurrent `cache prune` spares it. */
  hold(files: PlannedFile[]): Promise<void>
  /** Whether this path shows the file's verified content now (another process may have deleted it). */
  isLinked(f: PlannedFile): Promise<boolean>
  /** `complete`: `files` is the commit's whole listing (no --include, --exclude or file names). */
  finish(revision: string, commit: string, files: PlannedFile[], complete: boolean): Promise<void>
  /** Records that the commit has none of these files (named by the user, absent from the listing). */
  markAbsent(revision: string, commit: string, paths: string[]): Promise<void>
}

/** Snapshot manifests let an offline pull tell a complete snapshot from a partial one. */
export function manifestPath(cacheDir: string, ref: RepoRef, commit: string): string {
  return manifestIn(repoCache(cacheDir, ref).repoDir, commit)
}

export interface Manifest {
  commit: string
  files: { path: string; etag: string; size: number }[]
  /**
   * true: `files` is the commit's whole listing (some pull took no --include, --exclude or file names).
   * false: only what selective pulls fetched. Missing: written by an hfx that did not record it, so unknown.
   */
  complete?: boolean
}

/** A regular file of this size; a symlink is not followed (no client makes blobs or local files links). */
async function sizeIs(file: string, size: number): Promise<boolean> {
  return lstat(file).then((s) => s.isFile() && s.size === size, () => false)
}

/** A small state file's text, or '' when it is missing, not a regular file, or too big. */
function readState(file: string): Promise<string> {
  return readSmallFile(file, MAX_STATE_FILE).catch(() => '')
}

export class CacheTarget implements Target {
  readonly rc: RepoCache
  readonly root: string
  readonly spaceDir: string
  readonly writeDirs: string[]
  readonly elsewhere = '--cache-dir (or HF_HUB_CACHE, HF_HOME)'
  /** models--org--name: every write goes through makeParents from the cache root, checking each folder. */
  private readonly folder: string
  private readonly partials = new PartialListing()

  constructor(readonly cacheDir: string, readonly ref: RepoRef, readonly commit: string) {
    this.rc = repoCache(cacheDir, ref)
    this.folder = repoFolderName(ref)
    this.root = snapshotDir(this.rc, commit)
    this.spaceDir = this.rc.blobsDir
    // Not the cache root itself: a shared cache may let a user write in a repo folder only. Not .locks:
    // a pull goes on without its lock folder (lockPath).
    this.writeDirs = [this.rc.repoDir, this.rc.blobsDir, this.rc.snapshotsDir, this.rc.refsDir]
  }

  async stateOf(f: TreeFile, etag: string): Promise<FileState> {
    const complete = await sizeIs(blobPath(this.rc, etag), f.size)
    if (!complete) return { complete, linked: false, partial: await resumableBytes(await this.siteOf(etag), etag, f.size) }
    const link = await readlink(snapshotPath(this.rc, this.commit, f.path)).catch(() => undefined)
    return { complete, linked: link === symlinkTarget(f.path, etag), partial: 0 }
  }

  private async siteOf(etag: string, fresh = false): Promise<PartialSite> {
    return { dir: this.rc.blobsDir, base: etag, foreignBases: [], names: await this.partials.names(this.rc.blobsDir, [etag], fresh) }
  }

  async partialSite(f: PlannedFile, fresh: boolean): Promise<PartialSite> {
    await ensureDirs(this.cacheDir, [this.folder, 'blobs'])
    return this.siteOf(f.etag, fresh)
  }

  async dropLeftovers(f: PlannedFile): Promise<void> {
    await ensureDirs(this.cacheDir, [this.folder, 'blobs']) // deletes nothing through a symlinked blobs/
    await removeLeftovers(await this.siteOf(f.etag), f.etag, f.size)
  }

  async lockPath(f: PlannedFile): Promise<string | undefined> {
    // A symlinked `.locks` or `.locks/<folder>` is not followed: the pull goes on without the lock.
    const made = await ensureDirs(this.cacheDir, ['.locks', this.folder]).catch(() => undefined)
    return made && lockPath(this.rc, f.etag)
  }

  isComplete(f: PlannedFile): Promise<boolean> {
    return sizeIs(blobPath(this.rc, f.etag), f.size)
  }

  async publish(f: PlannedFile, verified: VerifiedFile): Promise<void> {
    await ensureDirs(this.cacheDir, [this.folder, 'blobs'])
    await moveVerified(verified, blobPath(this.rc, f.etag))
    await this.link(f)
  }

  async link(f: PlannedFile): Promise<void> {
    const target = await makeParents(this.cacheDir, f.path, [this.folder, 'snapshots', this.commit])
    await linkAt(target, symlinkTarget(f.path, f.etag))
  }

  /**
   * `hfx cache prune` deletes blobs no kept snapshot links once their mtime is older than its grace period;
   * a pull that reuses such a blob would link it only after fetching the rest. Setting the mtime to now
   * puts the blob (and the snapshot folder, which prune judges the same way) back inside that grace.
   * lutimes: a planted link is never followed. Another user's blob cannot be touched: isLinked catches it.
   */
  async hold(files: PlannedFile[]): Promise<void> {
    if (files.length) await ensureDirs(this.cacheDir, [this.folder, 'blobs'])
    const now = new Date()
    const touch = (p: string) => lstat(p).then((st) => (st.isFile() || st.isDirectory() ? lutimes(p, now, now) : undefined)).catch(() => {})
    for (const etag of new Set(files.map((f) => f.etag))) await touch(blobPath(this.rc, etag))
    await touch(this.root)
  }

  async isLinked(f: PlannedFile): Promise<boolean> {
    const link = await readlink(snapshotPath(this.rc, this.commit, f.path)).catch(() => undefined)
    return link === symlinkTarget(f.path, f.etag) && (await sizeIs(blobPath(this.rc, f.etag), f.size))
  }

  async finish(revision: string, commit: string, files: PlannedFile[], complete: boolean): Promise<void> {
    // @huggingface/hub's scanCacheDir reports a repo folder without refs/ as corrupted, even for a pull by commit.
    // No CACHEDIR.TAG in the cache root, though huggingface_hub ≥ 1.x writes one: 0.x's scan_cache_dir
    // reports it as a broken repo. The root holds only repo folders and .locks.
    await ensureDirs(this.cacheDir, [this.folder, 'refs'])
    await this.writeRef(revision, commit)
    const file = await makeParents(this.cacheDir, manifestName(commit), [this.folder, ...MANIFESTS_SEGMENTS])
    const old = await readManifest(file)
    const merged = new Map((old?.files ?? []).map((e) => [e.path, e]))
    for (const f of files) merged.set(f.path, { path: f.path, etag: f.etag, size: f.size })
    // A commit never changes, so once one pull listed all of it, later selective pulls add nothing unknown.
    const manifest: Manifest = { commit, files: [...merged.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), complete: complete || old?.complete === true }
    await writeFileAtomic(file, JSON.stringify(manifest))
  }

  /**
   * `.no_exist/<commit>/<path>`, empty, as huggingface_hub's hf_hub_download leaves it when the Hub says the
   * commit has no such file; transformers (try_to_load_from_cache) reads it to skip optional files without
   * asking again. huggingface_hub writes the marker and then refs/<revision> (file_download.py, on
   * EntryNotFoundError), so that a loader asking for `revision` finds the marker; hfx does the same.
   */
  async markAbsent(revision: string, commit: string, paths: string[]): Promise<void> {
    for (const p of paths) await writeFileAtomic(await makeParents(this.cacheDir, p, [this.folder, '.no_exist', commit]), '')
    await this.writeRef(revision, commit)
  }

  /** refs/<revision> holds the commit (no newline), as huggingface_hub writes it; refs/pr/1 nests. */
  private async writeRef(revision: string, commit: string): Promise<void> {
    // Only a full commit names itself. A short one gets refs/<short>, as huggingface_hub's
    // _cache_commit_hash_for_specific_revision writes it (revision != commit_hash): that ref is how an offline
    // run finds the snapshot of `org/name@abc1234` again.
    if (revision === commit) return
    await writeFileAtomic(await makeParents(this.cacheDir, revision, [this.folder, 'refs']), commit)
  }
}

export async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readState(file)) as Manifest
    return Array.isArray(m.files) ? m : undefined
  } catch {
    return undefined
  }
}

/** Where huggingface_hub keeps a local folder's metadata: `<local dir>/.cache/huggingface/download/`. */
const DOWNLOAD_DIR = ['.cache', 'huggingface', 'download']

export class LocalDirTarget implements Target {
  readonly spaceDir: string
  readonly writeDirs: string[]
  readonly elsewhere = '--local-dir'
  private readonly partials = new PartialListing()
  /** Where each content is already present in the folder, to copy duplicates instead of fetching them. */
  private readonly present = new Map<string, string>()
  private readonly downloadDir: string

  constructor(readonly root: string, readonly commit: string) {
    this.spaceDir = root
    this.downloadDir = path.join(root, ...DOWNLOAD_DIR)
    this.writeDirs = [root, this.downloadDir]
  }

  async stateOf(f: TreeFile, etag: string): Promise<FileState> {
    const meta = parseLocalDirMetadata(await readState(localDirMetadataPath(this.root, f.path)))
    const st = await lstat(safeJoin(this.root, f.path)).catch(() => undefined)
    // Up to date when the metadata names this content and the file was not touched after it was written.
    const complete = Boolean(meta && st?.isFile() && meta.etag === etag && st.size === f.size && st.mtimeMs / 1000 <= meta.timestamp + 1)
    if (complete) this.present.set(etag, f.path)
    const partial = complete ? 0 : await resumableBytes(await this.siteOf(f.path, etag), etag, f.size)
    return { complete, linked: complete, partial }
  }

  /**
   * Partials sit beside the file's metadata in .cache/huggingface/download/<dir>: hfx's as
   * `<name>.<etag>.hfx-…partial`, huggingface_hub's as `<urlsafe base64 of sha1("<name>.metadata")>.<etag>…`.
   */
  private async siteOf(repoPath: string, etag: string, fresh = false): Promise<PartialSite> {
    const name = path.posix.basename(repoPath)
    const dir = path.dirname(safeJoin(this.downloadDir, repoPath))
    const base = `${name}.${etag}`
    // Python's urlsafe_b64encode keeps the padding that Node's base64url drops (20 bytes: one '=').
    const foreignBases = [`${createHash('sha1').update(`${name}.metadata`).digest('base64url')}=.${etag}`]
    return { dir, base, foreignBases, names: await this.partials.names(dir, [base, ...foreignBases], fresh) }
  }

  /** Makes the folder of `repoPath`'s metadata, partials and lock, checking each folder from the local dir down. */
  private metadataParents(repoPath: string): Promise<string> {
    return makeParents(this.root, repoPath, DOWNLOAD_DIR)
  }

  async partialSite(f: PlannedFile, fresh: boolean): Promise<PartialSite> {
    await this.metadataParents(f.path)
    return this.siteOf(f.path, f.etag, fresh)
  }

  async dropLeftovers(f: PlannedFile): Promise<void> {
    await this.metadataParents(f.path)
    await removeLeftovers(await this.siteOf(f.path, f.etag), f.etag, f.size)
  }

  async lockPath(f: PlannedFile): Promise<string | undefined> {
    const file = await this.metadataParents(f.path).catch(() => undefined)
    return file && `${file}.lock`
  }

  async isComplete(f: PlannedFile): Promise<boolean> {
    return (await this.stateOf({ type: 'file', path: f.path, size: f.size, oid: f.etag }, f.etag)).complete
  }

  async publish(f: PlannedFile, verified: VerifiedFile): Promise<void> {
    // pull() refused these paths before planning; checked again where the file is written.
    await moveVerified(verified, await makeParents(this.root, checkLocalDirPath(f.path)))
    await this.writeMetadata(f)
    this.present.set(f.etag, f.path)
  }

  /** A second path with the same content: a copy, made under a fresh name (O_EXCL) and renamed into place. */
  async link(f: PlannedFile): Promise<void> {
    const from = this.present.get(f.etag)
    if (!from) throw new Error(`no local copy of ${f.etag} to copy to ${f.path}`)
    await copyIntoPlace(safeJoin(this.root, from), await makeParents(this.root, checkLocalDirPath(f.path)))
    await this.writeMetadata(f)
  }

  /** Nothing in a local folder is pruned behind the pull's back. */
  async hold(): Promise<void> {}

  isLinked(f: PlannedFile): Promise<boolean> {
    return this.isComplete(f)
  }

  private async writeMetadata(f: PlannedFile): Promise<void> {
    const text = formatLocalDirMetadata({ commit: this.commit, etag: f.etag, timestamp: Date.now() / 1000 })
    await this.metadataParents(f.path)
    await writeFileAtomic(localDirMetadataPath(this.root, f.path), text)
  }

  async finish(): Promise<void> {
    await tagLocalDirMetadata(await ensureDirs(this.root, DOWNLOAD_DIR.slice(0, -1)))
  }

  /** huggingface_hub keeps no markers for a local folder. */
  async markAbsent(): Promise<void> {}
}
