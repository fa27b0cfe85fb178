// Reads a huggingface_hub cache into a CacheScan, whoever wrote it (hfx, huggingface_hub, transformers).
// Everything is lstat'ed and nothing is followed: a symlink is described by where it points, so a link
// planted in a snapshot can never lead a listing, a hash or a deletion out of the cache.
import { lstat, readdir, readlink, realpath } from 'node:fs/promises'
import path from 'node:path'
import { readSmallFile } from '../no-follow.js'
import { migrateLegacyState } from './hfx-state.js'
import { isWriteTmp, manifestCommit, manifestsDir, parsePartialName } from './hfx-names.js'
import { ownerRunning } from './partial-owner.js'
import { parseRepoFolderName, repoCache } from './layout.js'
import type { BlobFile, CacheScan, CachedRepo, PartialDownload, Ref, Snapshot, SnapshotFile } from './cached-repo.js'
import type { LocalRevisions } from './local-revision.js'
import { isRealDir } from './walk.js'

async function entries(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch(() => [])
}

/** Every repo folder of the cache; `.locks`, `CACHEDIR.TAG` and anything unknown are skipped. */
export async function scanCache(cacheDir: string): Promise<CacheScan> {
  await migrateLegacyState(cacheDir)
  const repos: CachedRepo[] = []
  for (const e of await entries(cacheDir)) {
    // A repo folder that is itself a symlink is someone else's arrangement: not listed, never deleted.
    if (!e.isDirectory()) continue
    const repo = await scanRepo(cacheDir, e.name)
    if (repo) repos.push(repo)
  }
  return { cacheDir, repos }
}

export async function scanRepo(cacheDir: string, folder: string): Promise<CachedRepo | undefined> {
  await migrateLegacyState(cacheDir)
  const named = parseRepoFolderName(folder)
  if (!named) return undefined
  const rc = repoCache(cacheDir, named)
  const st = await lstat(rc.repoDir).catch(() => undefined)
  if (!st?.isDirectory()) return undefined
  const { blobs, partials } = await scanBlobs(rc.blobsDir)
  const snapshots: Snapshot[] = []
  if (await isRealDir(rc.snapshotsDir)) {
    const blobsReal = await realpath(rc.blobsDir).catch(() => rc.blobsDir)
    for (const e of await entries(rc.snapshotsDir)) {
      if (e.isDirectory()) snapshots.push(await scanSnapshot(path.join(rc.snapshotsDir, e.name), e.name, [rc.blobsDir, blobsReal]))
    }
  }
  const noExist = await subfolders(rc.noExistDir)
  // Through a symlinked `.hfx` a prune would delete someone's *.json files: only real folders are read.
  const hfxReal = (await isRealDir(path.dirname(manifestsDir(rc.repoDir)))) && (await isRealDir(manifestsDir(rc.repoDir)))
  const manifests = (hfxReal ? await entries(manifestsDir(rc.repoDir)) : [])
    .flatMap((e) => (e.isFile() && manifestCommit(e.name)) || [])
  return { ...named, folder, blobs, partials, snapshots, refs: await scanRefs(rc.refsDir), noExist, manifests }
}

/** Only what resolving a revision needs (local-revision.ts): refs and commit folder names; no snapshot is walked. */
export async function scanRevisions(cacheDir: string, repo: { type: CachedRepo['type']; id: string }): Promise<LocalRevisions> {
  const rc = repoCache(cacheDir, repo)
  return { refs: await scanRefs(rc.refsDir), snapshots: await subfolders(rc.snapshotsDir), noExist: await subfolders(rc.noExistDir) }
}

async function subfolders(dir: string): Promise<string[]> {
  return (await isRealDir(dir)) ? (await entries(dir)).filter((e) => e.isDirectory()).map((e) => e.name) : []
}


async function scanBlobs(blobsDir: string): Promise<{ blobs: BlobFile[]; partials: PartialDownload[] }> {
  const blobs: BlobFile[] = []
  const partials = new Map<string, PartialDownload>()
  if (!(await isRealDir(blobsDir))) return { blobs, partials: [] }
  for (const e of await entries(blobsDir)) {
    if (!e.isFile()) continue // symlinks or folders in blobs/ are not huggingface_hub's: leave them alone
    const st = await lstat(path.join(blobsDir, e.name)).catch(() => undefined)
    if (!st) continue
    const m = parsePartialName(e.name)
    if (!m) {
      blobs.push({ name: e.name, size: st.size, atimeMs: st.atimeMs, mtimeMs: st.mtimeMs })
      continue
    }
    // Partials, hfx's and huggingface_hub's alike, grouped by the blob they will become.
    const p = partials.get(m.base) ?? { etag: m.base, files: [], size: 0, mtimeMs: 0 }
    p.files.push(e.name)
    // hfx's partials have holes until done: what they hold is their allocated blocks, not their length.
    p.size += Math.min(st.size, st.blocks * 512)
    p.mtimeMs = Math.max(p.mtimeMs, st.mtimeMs)
    if (m.kind === 'hfx' && ownerRunning(m.owner)) p.live = true
    partials.set(m.base, p)
  }
  return { blobs, partials: [...partials.values()] }
}

async function scanSnapshot(dir: string, commit: string, blobsDirs: string[]): Promise<Snapshot> {
  const files: SnapshotFile[] = []
  let mtimeMs = 0
  const walk = async (abs: string, rel: string) => {
    const st = await lstat(abs).catch(() => undefined)
    if (st) mtimeMs = Math.max(mtimeMs, st.mtimeMs)
    for (const e of await entries(abs)) {
      const p = rel ? `${rel}/${e.name}` : e.name
      const full = path.join(abs, e.name)
      if (e.isDirectory()) await walk(full, p)
      else if (e.isSymbolicLink()) {
        const target = await readlink(full).catch(() => '')
        const lst = await lstat(full).catch(() => undefined)
        if (lst) mtimeMs = Math.max(mtimeMs, lst.mtimeMs)
        // Resolved by text, not by the file system: only a link whose target names a file directly inside
        // blobs/ counts as a blob reference. Absolute links (huggingface_hub's fallback) qualify too.
        const resolved = path.resolve(abs, target)
        const inBlobs = target !== '' && blobsDirs.includes(path.dirname(resolved))
        files.push(inBlobs ? { path: p, kind: 'blob', blob: path.basename(resolved) } : { path: p, kind: 'foreign', target })
      } else if (e.isFile()) {
        const fst = await lstat(full).catch(() => undefined)
        files.push({ path: p, kind: 'file', size: fst?.size ?? 0 })
      } else files.push({ path: p, kind: 'foreign' })
    }
  }
  await walk(dir, '')
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { commit, files, mtimeMs }
}

/** A ref holds a 40-hex commit; anything much bigger is not a ref (and is not read whole). */
const MAX_REF_BYTES = 4096

/** refs/<name>, with nested names (refs/refs/pr/1 is the ref `refs/pr/1`). */
async function scanRefs(refsDir: string): Promise<Ref[]> {
  const refs: Ref[] = []
  const walk = async (abs: string, rel: string) => {
    for (const e of await entries(abs)) {
      const name = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) await walk(path.join(abs, e.name), name)
      else if (e.isFile() && !isWriteTmp(e.name) /* publish.ts replaces refs through a temp name; one left by a crash is not a ref */) {
        const commit = (await readSmallFile(path.join(abs, e.name), MAX_REF_BYTES).catch(() => '')).trim()
        if (commit) refs.push({ name, commit })
      }
    }
  }
  if (await isRealDir(refsDir)) await walk(refsDir, '')
  return refs.sort((a, b) => (a.name < b.name ? -1 : 1))
}
