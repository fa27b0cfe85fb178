// A --local-dir as a pull target: plain files at their repo paths, with huggingface_hub's metadata, locks
// and partials in `<local dir>/.cache/huggingface/download/`, so huggingface_hub and hfx resume each other.
import { createHash } from 'node:crypto'
import { lstat, rename } from 'node:fs/promises'
import path from 'node:path'
import { formatLocalDirMetadata, localDirMetadataPath, parseLocalDirMetadata } from '../cache/layout.js'
import { tagLocalDirMetadata } from '../cache/cachedir-tag.js'
import { hashFile } from '../cache/verify-snapshot.js'
import type { TreeFile } from '../hub/hub.js'
import { readSmallFile } from '../no-follow.js'
import { checkLocalDirPath, safeJoin } from '../repo/safe-path.js'
import { PartialListing, removeLeftovers, resumableBytes, type PartialSite } from './claim-partial.js'
import { localChange, untouchedSince } from './local-change.js'
import type { FileState, PlannedFile } from './plan.js'
import { copyIntoPlace, ensureDirs, makeParents, moveVerified, type VerifiedFile, writeFileAtomic } from './publish.js'
import type { ReplacedFile } from './reporter.js'
import type { Target } from './target.js'

/** Metadata files are small; anything bigger is not one (or is /dev/zero). */
const MAX_STATE_FILE = 64 * 1024 * 1024

/** A small state file's text, or '' when it is missing, not a regular file, or too big. */
function readState(file: string): Promise<string> {
  return readSmallFile(file, MAX_STATE_FILE).catch(() => '')
}

/** Where huggingface_hub keeps a local folder's metadata: `<local dir>/.cache/huggingface/download/`. */
const DOWNLOAD_DIR = ['.cache', 'huggingface', 'download']
/** Where hfx keeps the local changes a pull replaced, beside it (git-ignored with the rest of .cache/huggingface). */
const REPLACED_DIR = ['.cache', 'huggingface', 'replaced']

export class LocalDirTarget implements Target {
  readonly spaceDir: string
  readonly writeDirs: string[]
  readonly elsewhere = '--local-dir'
  readonly replaced: ReplacedFile[] = []
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
    const complete = Boolean(meta && st?.isFile() && meta.etag === etag && st.size === f.size && untouchedSince(st, meta))
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
    const dest = await makeParents(this.root, checkLocalDirPath(f.path))
    await this.keepLocalChange(f, dest)
    await moveVerified(verified, dest)
    await this.writeMetadata(f)
    this.present.set(f.etag, f.path)
  }

  /** A second path with the same content: a copy, made under a fresh name (O_EXCL) and renamed into place. */
  async link(f: PlannedFile): Promise<void> {
    const from = this.present.get(f.etag)
    if (!from) throw new Error(`no local copy of ${f.etag} to copy to ${f.path}`)
    const dest = await makeParents(this.root, checkLocalDirPath(f.path))
    await this.keepLocalChange(f, dest)
    await copyIntoPlace(safeJoin(this.root, from), dest)
    await this.writeMetadata(f)
  }

  /**
   * Before `f` is written at `dest`: a file there that no download left as it is (the user edited it, or put
   * it there) is moved to .cache/huggingface/replaced/<path>, where it stays until the next replacement of
   * that path, and is reported. huggingface_hub replaces it without a word; hfx keeps the user's work. An
   * earlier download left untouched is an update, and a file that already holds the arriving content loses
   * nothing: neither is kept.
   */
  private async keepLocalChange(f: PlannedFile, dest: string): Promise<void> {
    const st = await lstat(dest).catch(() => undefined)
    const record = parseLocalDirMetadata(await readState(localDirMetadataPath(this.root, f.path)))
    let change = localChange(st?.isFile() ? st : undefined, record, f.size)
    if (change === 'compare') {
      // The file is read once more only when its size matches the arriving content's.
      const found = await hashFile(dest, f.expected.algorithm, () => {}).catch(() => undefined)
      change = found && found.hex === f.expected.hex ? 'none' : 'edited'
    }
    if (change !== 'edited') return
    const keptAt = await makeParents(this.root, f.path, REPLACED_DIR)
    const moved = await rename(dest, keptAt).then(
      () => true,
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err)),
    )
    if (moved) this.replaced.push({ path: f.path, keptAt })
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
