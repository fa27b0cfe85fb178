// ModelScope (modelscope.cn) behind the Hub interface: `ms://org/name[@rev]` or `--hub modelscope`.
//
// ModelScope has no commit to resolve a revision to, so one listing is the run's commit: resolveRevision
// lists the files once, names the snapshot after that listing (listing.ts, snapshotId), and this object
// keeps it for the rest of the session. listTree answers from it, and locateFile asks for bytes at the same
// revision name. Should the branch move during a long pull, the new bytes fail the sha256 the kept listing
// promised, and nothing unverified becomes visible.
import type { RepoRef } from '../../repo/repo-ref.js'
import type { RetryNotice } from '../../retry/with-retry.js'
import type { HubIO } from '../get-json.js'
import type { FileLocation, Hub, RangeSource, ReadMeter, RepoInfo, TreeEntry, TreeFile } from '../hub.js'
import { readRange } from '../range-read.js'
import { readSmallFile } from '../read-small-file.js'
import { ModelScopeEntryNotFoundError, ModelScopeRevisionNotFoundError } from './errors.js'
import { listRaw } from './list-files.js'
import { snapshotId, toListing, type Listing } from './listing.js'
import { locateBytes } from './request.js'
import { fileUrl } from './urls.js'

interface Snapshot extends Listing {
  revision: string
  commit: string
}

function key(ref: RepoRef, commit: string): string {
  return `${ref.type}:${ref.id}@${commit}`
}

function under(path: string, base: string | undefined): boolean {
  return !base || path === base || path.startsWith(`${base}/`)
}

export class ModelScopeHub implements Hub {
  readonly name = 'modelscope'
  /** The listings this session has made, by repo and snapshot id: one session's state, never another's. */
  private readonly snapshots = new Map<string, Snapshot>()

  constructor(readonly io: HubIO) {}

  async resolveRevision(ref: RepoRef): Promise<RepoInfo> {
    const snap = await this.load(ref)
    return {
      id: ref.id,
      commit: snap.commit,
      revision: snap.revision,
      // The files API says nothing about gating or visibility; a private repo simply needs the token.
      gated: false,
      private: false,
      tags: [],
      cardData: {},
      lastModified: snap.lastModified,
    }
  }

  async *listTree(ref: RepoRef, commit: string, opts: { path?: string; recursive?: boolean } = {}): AsyncGenerator<TreeEntry> {
    const snap = await this.snapshotFor(ref, commit)
    const base = opts.path?.replace(/\/+$/, '') || undefined
    const depth = base ? base.split('/').length + 1 : 1
    const entries = snap.entries.filter(
      (e) => under(e.path, base) && e.path !== base && (opts.recursive !== false || e.path.split('/').length === depth),
    )
    // Asked for one file: that file. Asked for a folder or a path that matches nothing: as the Hub tree does.
    const exact = base ? snap.entries.find((e): e is TreeFile => e.type === 'file' && e.path === base) : undefined
    if (exact) {
      yield exact
      return
    }
    if (base && entries.length === 0) throw new ModelScopeEntryNotFoundError(ref, base, snap.revision)
    yield* entries
  }

  async locateFile(ref: RepoRef, commit: string, path: string, opts: { onRetry?: (n: RetryNotice) => void } = {}): Promise<FileLocation> {
    const snap = await this.snapshotFor(ref, commit)
    const file = snap.entries.find((e): e is TreeFile => e.type === 'file' && e.path === path)
    if (!file) throw new ModelScopeEntryNotFoundError(ref, path, snap.revision)
    const url = fileUrl(this.io.http.endpoint, ref, snap.revision, path)
    const location = {
      etag: file.lfs?.oid,
      size: file.size,
      commit: snap.commit,
    }
    // Only LFS files are probed for a redirect: small files come from the API itself, and a redirect there
    // is still followed by the pull engine (one request per file, so no race between connections).
    if (!snap.lfsPaths.has(path)) return { url, ...location }
    const ctx = { endpoint: this.io.http.endpoint, ref, path, revision: snap.revision }
    const io = opts.onRetry ? { ...this.io, onRetry: opts.onRetry } : this.io
    return { url: await locateBytes(io, url, ctx), ...location }
  }

  /** ModelScope always says where a file is: there is no URL to build without the listing. */
  async downloadUrl(ref: RepoRef, commit: string, path: string): Promise<string> {
    return (await this.locateFile(ref, commit, path)).url
  }

  async readSmallFile(ref: RepoRef, commit: string, path: string, limit: number, meter: ReadMeter): Promise<Buffer> {
    const { url } = await this.locateFile(ref, commit, path)
    return readSmallFile(this.io, url, { endpoint: this.io.http.endpoint, repoId: ref.id, revision: commit, path }, limit, meter)
  }

  readRange(src: RangeSource, start: number, end: number, meter: ReadMeter): Promise<Buffer> {
    return readRange(this.io, src, start, end, meter)
  }

  private async load(ref: RepoRef): Promise<Snapshot> {
    const raw = await listRaw(this.io, ref)
    const listing = toListing(raw.files, { ref, endpoint: this.io.http.endpoint })
    const snap: Snapshot = { ...listing, revision: raw.revision, commit: snapshotId(listing.entries) }
    this.snapshots.set(key(ref, snap.commit), snap)
    return snap
  }

  /**
   * The listing a snapshot id stands for. Normally kept from resolveRevision; otherwise (a caller that took the
   * id from the cache) the revision is listed again and must still be that snapshot.
   */
  private async snapshotFor(ref: RepoRef, commit: string): Promise<Snapshot> {
    const kept = this.snapshots.get(key(ref, commit))
    if (kept) return kept
    const now = await this.load(ref)
    if (now.commit !== commit) throw new ModelScopeRevisionNotFoundError(ref, commit, this.io.http.endpoint)
    return now
  }
}
