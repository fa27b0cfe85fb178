// ModelScope (modelscope.cn) behind the HubBackend interface: `ms://org/name[@rev]` or `--hub modelscope`.
//
// ModelScope has no commit to resolve a revision to, so one listing is the run's commit: resolveRevision
// lists the files once, names the snapshot after that listing (listing.ts, snapshotId), and keeps it for
// this run. listTree answers from it, and locateFile asks for bytes at the same revision name. Should the
// branch move during a long pull, the new bytes fail the sha256 the kept listing promised, and nothing
// unverified becomes visible.
import type { RepoRef } from '../../repo/repo-ref.js'
import type { HubBackend } from '../backend.js'
import type { FileLocation } from '../file-head.js'
import type { HubIO } from '../get-json.js'
import type { RepoInfo } from '../revision.js'
import type { TreeEntry, TreeFile } from '../tree.js'
import { ModelScopeEntryNotFoundError, ModelScopeRevisionNotFoundError } from './errors.js'
import { listRaw } from './list-files.js'
import { snapshotId, toListing, type Listing } from './listing.js'
import { locateBytes } from './request.js'
import { fileUrl } from './urls.js'

interface Snapshot extends Listing {
  revision: string
  commit: string
}

// Per run (one HubIO per command), per repo and snapshot id. A WeakMap, so a finished run leaves nothing.
const snapshots = new WeakMap<HubIO, Map<string, Snapshot>>()

function key(ref: RepoRef, commit: string): string {
  return `${ref.type}:${ref.id}@${commit}`
}

async function load(io: HubIO, ref: RepoRef): Promise<Snapshot> {
  const raw = await listRaw(io, ref)
  const listing = toListing(raw.files, { ref, endpoint: io.http.endpoint })
  const snap: Snapshot = { ...listing, revision: raw.revision, commit: snapshotId(listing.entries) }
  let runSnapshots = snapshots.get(io)
  if (!runSnapshots) snapshots.set(io, (runSnapshots = new Map()))
  runSnapshots.set(key(ref, snap.commit), snap)
  return snap
}

/**
 * The listing a snapshot id stands for. Normally kept from resolveRevision; otherwise (a caller that took the
 * id from the cache) the revision is listed again and must still be that snapshot.
 */
async function snapshotFor(io: HubIO, ref: RepoRef, commit: string): Promise<Snapshot> {
  const kept = snapshots.get(io)?.get(key(ref, commit))
  if (kept) return kept
  const now = await load(io, ref)
  if (now.commit !== commit) {
    throw new ModelScopeRevisionNotFoundError(ref, commit, io.http.endpoint)
  }
  return now
}

function under(path: string, base: string | undefined): boolean {
  return !base || path === base || path.startsWith(`${base}/`)
}

export const modelscope: HubBackend = {
  name: 'ModelScope',

  async resolveRevision(io: HubIO, ref: RepoRef): Promise<RepoInfo> {
    const snap = await load(io, ref)
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
  },

  async *listTree(io, ref, commit, opts): AsyncGenerator<TreeEntry> {
    const snap = await snapshotFor(io, ref, commit)
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
  },

  async locateFile(io, ref, commit, path): Promise<FileLocation> {
    const snap = await snapshotFor(io, ref, commit)
    const file = snap.entries.find((e): e is TreeFile => e.type === 'file' && e.path === path)
    if (!file) throw new ModelScopeEntryNotFoundError(ref, path, snap.revision)
    const url = fileUrl(io.http.endpoint, ref, snap.revision, path)
    const location = {
      etag: file.lfs?.oid,
      size: file.size,
      commit: snap.commit,
    }
    // Only LFS files are probed for a redirect: small files come from the API itself, and a redirect there
    // is still followed by the pull engine (one request per file, so no race between connections).
    if (!snap.lfsPaths.has(path)) return { url, ...location }
    const ctx = { endpoint: io.http.endpoint, ref, path, revision: snap.revision }
    return { url: await locateBytes(io, url, ctx), ...location }
  },
}
