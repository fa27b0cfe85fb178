// The shared huggingface_hub cache as a pull target: verified blobs in blobs/<etag>, snapshot symlinks,
// refs/<revision>, `.no_exist` markers, and hfx's manifest of the commit (cache/manifest.ts).
import { lstat, lutimes, readlink } from 'node:fs/promises'
import { blobPath, lockPath, repoCache, repoFolderName, snapshotDir, snapshotPath, symlinkTarget, type RepoCache } from '../cache/layout.js'
import { MANIFESTS_SEGMENTS, manifestName } from '../cache/hfx-names.js'
import { mergeManifest, readManifest } from '../cache/manifest.js'
import type { TreeFile } from '../hub/hub.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { PartialListing, removeLeftovers, resumableBytes, type PartialSite } from './claim-partial.js'
import type { FileState, PlannedFile } from './plan.js'
import { ensureDirs, linkAt, makeParents, moveVerified, type VerifiedFile, writeFileAtomic } from './publish.js'
import type { ReplacedFile } from './reporter.js'
import type { Target } from './target.js'

/** A regular file of this size; a symlink is not followed (no client makes blobs or local files links). */
async function sizeIs(file: string, size: number): Promise<boolean> {
  return lstat(file).then((s) => s.isFile() && s.size === size, () => false)
}

export class CacheTarget implements Target {
  readonly rc: RepoCache
  readonly root: string
  readonly spaceDir: string
  readonly writeDirs: string[]
  readonly elsewhere = '--cache-dir (or HF_HUB_CACHE, HF_HOME)'
  /** A snapshot holds only links hfx or huggingface_hub made: nothing in it is a local change. */
  readonly replaced: ReplacedFile[] = []
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
    await writeFileAtomic(file, JSON.stringify(mergeManifest(await readManifest(file), commit, files, complete)))
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
