// Where a pull puts files: the shared huggingface_hub cache (blobs + snapshot symlinks + refs), or plain
// files in a --local-dir with huggingface_hub's metadata beside them. The pull pipeline only sees this
// interface, so both modes share every byte of the fetch and verify path.
import { createHash } from 'node:crypto'
import { copyFile, lstat, mkdir, readFile, readlink, stat } from 'node:fs/promises'
import path from 'node:path'
import {
  blobPath,
  formatLocalDirMetadata,
  localDirMetadataPath,
  lockPath,
  parseLocalDirMetadata,
  repoCache,
  snapshotDir,
  snapshotPath,
  symlinkTarget,
  type RepoCache,
} from '../cache/layout.js'
import type { TreeFile } from '../hub/tree.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { checkLocalDirPath, safeJoin } from '../repo/safe-path.js'
import { tagLocalDirMetadata } from '../cache/cachedir-tag.js'
import { manifestsDir } from '../cache/hfx-state.js'
import { PartialListing, removeLeftovers, resumableBytes, type PartialSite } from './claim-partial.js'
import type { FileState, PlannedFile } from './plan.js'
import { linkSnapshot, makeParents, publishBlob, publishLocalFile, writeFileAtomic, writeNoExist, writeRef } from './publish.js'
import type { VerifiedFile } from './verify.js'

export interface Target {
  /** What the user gets: the snapshot folder or the local folder. */
  root: string
  commit: string
  /** The folder whose filesystem receives the bytes (for the free-space check). */
  spaceDir: string
  stateOf(f: TreeFile, etag: string): Promise<FileState>
  /** Where partial downloads of this file live (the folder is created); `fresh` lists it again. */
  partialSite(f: PlannedFile, fresh: boolean): Promise<PartialSite>
  /** Deletes abandoned partials of a file that is complete on disk (finished by another tool, say). */
  dropLeftovers(f: PlannedFile): Promise<void>
  lockPath(f: PlannedFile): string
  /** Whether the verified content is on disk now (another process may have finished it meanwhile). */
  isComplete(f: PlannedFile): Promise<boolean>
  /** Makes a verified partial file visible at its path. */
  publish(f: PlannedFile, verified: VerifiedFile): Promise<void>
  /** Makes already-complete content visible at this path. */
  link(f: PlannedFile): Promise<void>
  /** `complete`: `files` is the commit's whole listing (no --include, --exclude or file names). */
  finish(revision: string, commit: string, files: PlannedFile[], complete: boolean): Promise<void>
  /** Records that the commit has none of these files (named by the user, absent from the listing). */
  markAbsent(revision: string, commit: string, paths: string[]): Promise<void>
}

/** Snapshot manifests let an offline pull tell a complete snapshot from a partial one. */
export function manifestPath(cacheDir: string, ref: RepoRef, commit: string): string {
  return path.join(manifestsDir(repoCache(cacheDir, ref).repoDir), `${commit}.json`)
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

async function sizeIs(file: string, size: number): Promise<boolean> {
  return stat(file).then((s) => s.isFile() && s.size === size, () => false)
}

export class CacheTarget implements Target {
  readonly rc: RepoCache
  readonly root: string
  readonly spaceDir: string
  private readonly partials = new PartialListing()

  constructor(readonly cacheDir: string, readonly ref: RepoRef, readonly commit: string) {
    this.rc = repoCache(cacheDir, ref)
    this.root = snapshotDir(this.rc, commit)
    this.spaceDir = this.rc.blobsDir
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
    await makeParents(this.rc.blobsDir, f.etag)
    return this.siteOf(f.etag, fresh)
  }

  async dropLeftovers(f: PlannedFile): Promise<void> {
    await removeLeftovers(await this.siteOf(f.etag), f.etag, f.size)
  }

  lockPath(f: PlannedFile): string {
    return lockPath(this.rc, f.etag)
  }

  isComplete(f: PlannedFile): Promise<boolean> {
    return sizeIs(blobPath(this.rc, f.etag), f.size)
  }

  async publish(f: PlannedFile, verified: VerifiedFile): Promise<void> {
    await publishBlob(verified, blobPath(this.rc, f.etag))
    await linkSnapshot(this.rc, this.commit, f.path, f.etag)
  }

  async link(f: PlannedFile): Promise<void> {
    await linkSnapshot(this.rc, this.commit, f.path, f.etag)
  }

  async finish(revision: string, commit: string, files: PlannedFile[], complete: boolean): Promise<void> {
    // @huggingface/hub's scanCacheDir reports a repo folder without refs/ as corrupted, even for a pull by commit.
    // No CACHEDIR.TAG in the cache root, though huggingface_hub ≥ 1.x writes one: 0.x's scan_cache_dir
    // reports it as a broken repo. The root holds only repo folders and .locks.
    await mkdir(this.rc.refsDir, { recursive: true })
    await writeRef(this.rc, revision, commit)
    const file = manifestPath(this.cacheDir, this.ref, commit)
    const old = await readManifest(file)
    const merged = new Map((old?.files ?? []).map((e) => [e.path, e]))
    for (const f of files) merged.set(f.path, { path: f.path, etag: f.etag, size: f.size })
    // A commit never changes, so once one pull listed all of it, later selective pulls add nothing unknown.
    const manifest: Manifest = { commit, files: [...merged.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), complete: complete || old?.complete === true }
    await writeFileAtomic(file, JSON.stringify(manifest))
  }

  /** huggingface_hub writes the marker and then refs/<revision> (file_download.py, on EntryNotFoundError), so
   * that a loader asking for `revision` finds the marker; hfx does the same, in the same order. */
  async markAbsent(revision: string, commit: string, paths: string[]): Promise<void> {
    for (const p of paths) await writeNoExist(this.rc, commit, p)
    await writeRef(this.rc, revision, commit)
  }
}

export async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as Manifest
    return Array.isArray(m.files) ? m : undefined
  } catch {
    return undefined
  }
}

export class LocalDirTarget implements Target {
  readonly spaceDir: string
  private readonly partials = new PartialListing()
  /** Where each content is already present in the folder, to copy duplicates instead of fetching them. */
  private readonly present = new Map<string, string>()
  private readonly downloadDir: string

  constructor(readonly root: string, readonly commit: string) {
    this.spaceDir = root
    this.downloadDir = path.join(root, '.cache', 'huggingface', 'download')
  }

  async stateOf(f: TreeFile, etag: string): Promise<FileState> {
    const meta = parseLocalDirMetadata(await readFile(localDirMetadataPath(this.root, f.path), 'utf8').catch(() => ''))
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

  async partialSite(f: PlannedFile, fresh: boolean): Promise<PartialSite> {
    await makeParents(this.downloadDir, f.path)
    return this.siteOf(f.path, f.etag, fresh)
  }

  async dropLeftovers(f: PlannedFile): Promise<void> {
    await removeLeftovers(await this.siteOf(f.path, f.etag), f.etag, f.size)
  }

  lockPath(f: PlannedFile): string {
    return `${safeJoin(this.downloadDir, f.path)}.lock`
  }

  async isComplete(f: PlannedFile): Promise<boolean> {
    return (await this.stateOf({ type: 'file', path: f.path, size: f.size, oid: f.etag }, f.etag)).complete
  }

  async publish(f: PlannedFile, verified: VerifiedFile): Promise<void> {
    // pull() refused these paths before planning; checked again where the file is written.
    await publishLocalFile(verified, this.root, checkLocalDirPath(f.path))
    await this.writeMetadata(f)
    this.present.set(f.etag, f.path)
  }

  async link(f: PlannedFile): Promise<void> {
    const from = this.present.get(f.etag)
    if (!from) throw new Error(`no local copy of ${f.etag} to copy to ${f.path}`)
    const target = await makeParents(this.root, checkLocalDirPath(f.path))
    await copyFile(safeJoin(this.root, from), target)
    await this.writeMetadata(f)
  }

  private async writeMetadata(f: PlannedFile): Promise<void> {
    const text = formatLocalDirMetadata({ commit: this.commit, etag: f.etag, timestamp: Date.now() / 1000 })
    await makeParents(this.downloadDir, f.path)
    await writeFileAtomic(localDirMetadataPath(this.root, f.path), text)
  }

  async finish(): Promise<void> {
    await mkdir(path.dirname(this.downloadDir), { recursive: true })
    await tagLocalDirMetadata(path.dirname(this.downloadDir))
  }

  /** huggingface_hub keeps no markers for a local folder. */
  async markAbsent(): Promise<void> {}
}
