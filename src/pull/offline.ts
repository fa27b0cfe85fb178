// HF_HUB_OFFLINE=1: answer from the cache alone. A snapshot counts as complete only if every file the
// selection asks for is there and resolves to a blob; hfx's manifest says which files a snapshot has, and a
// `.no_exist` marker that a named file does not exist at all.
import { readlink, stat } from 'node:fs/promises'
import path from 'node:path'
import { EntryNotFoundError, OfflineError } from '../errors.js'
import { plural } from '../format.js'
import { noExistDir, repoCache, snapshotDir } from '../cache/layout.js'
import { ambiguousError, resolveLocal } from '../cache/local-revision.js'
import { scanRevisions } from '../cache/scan-cache.js'
import { defaultRevision, repoName, type RepoRef } from '../repo/repo-ref.js'
import { safeJoin } from '../repo/safe-path.js'
import { makeFilter, selectsAll, type Selection } from '../select/filters.js'
import { plainFileNames } from './select.js'
import { manifestFile, readManifest } from '../cache/manifest.js'
import type { Plan, PlannedFile } from './plan.js'
import { walk } from '../cache/walk.js'

export interface OfflineSnapshot {
  commit: string
  path: string
  files: number
  bytes: number
  /** Each selected file as cached: its blob name (from hfx's manifest, else the snapshot link's target). */
  entries: { path: string; size: number; etag: string }[]
}


export async function offlineSnapshot(
  cacheDir: string,
  ref: RepoRef,
  sel: Selection,
  offlineVar = 'HF_HUB_OFFLINE',
): Promise<OfflineSnapshot> {
  const rc = repoCache(cacheDir, ref)
  const revision = ref.revision ?? defaultRevision(ref) // `org/name` means the default branch, never a guess
  const hint = `Run the same command once without ${offlineVar} to download it.`
  const resolved = resolveLocal(await scanRevisions(cacheDir, ref), revision, defaultRevision(ref))
  if (!resolved.found && resolved.matches.length) throw ambiguousError(`${ref.id}@${revision}`, resolved.matches, OfflineError)
  if (!resolved.found) throw new OfflineError(`${offlineVar} is set and ${ref.id}@${revision} is not in the cache (${cacheDir}).`, hint)
  const commit = resolved.commit
  const root = snapshotDir(rc, commit)
  // A `.no_exist` marker (written by hfx or huggingface_hub when the Hub said so) answers as the Hub would.
  for (const name of plainFileNames(sel)) {
    const marker = await stat(safeJoin(noExistDir(rc, commit), name)).catch(() => undefined)
    if (marker?.isFile()) throw new EntryNotFoundError(repoName(ref), name, revision)
  }
  const manifest = await readManifest(manifestFile(cacheDir, ref, commit))
  // The whole repo needs the whole listing. Without a manifest (huggingface_hub filled the cache) the
  // snapshot is all there is to go by, as before; an hfx manifest that does not say complete is not enough.
  if (manifest && manifest.complete !== true && selectsAll(sel)) throw wholeRepoUnknown(ref, revision, manifest.complete, offlineVar)
  const keep = makeFilter(sel)
  const wanted = manifest
    ? manifest.files.filter((f) => keep(f.path)).map((f) => ({ path: f.path, size: f.size as number | undefined, etag: f.etag as string | undefined }))
    : (await walk(root)).filter(keep).map((p) => ({ path: p, size: undefined as number | undefined, etag: undefined as string | undefined }))
  for (const p of sel.files ?? []) {
    if (!wanted.some((w) => makeFilter({ files: [p] })(w.path))) wanted.push({ path: p, size: undefined, etag: undefined })
  }
  const missing: string[] = []
  const entries: OfflineSnapshot['entries'] = []
  let bytes = 0
  for (const w of wanted) {
    const file = safeJoin(root, w.path)
    const st = await stat(file).catch(() => undefined) // follows the symlink to its blob
    if (!st?.isFile() || (w.size !== undefined && st.size !== w.size)) missing.push(w.path)
    else {
      bytes += st.size
      entries.push({ path: w.path, size: st.size, etag: w.etag ?? path.basename(await readlink(file).catch(() => '')) })
    }
  }
  if (wanted.length === 0 || missing.length > 0) {
    const what = missing.length ? `${missing.length} of ${plural(wanted.length, 'file')} ${missing.length === 1 ? 'is' : 'are'} missing (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})` : 'no files are cached'
    throw new OfflineError(`${offlineVar} is set and the cached snapshot of ${ref.id}@${revision} is incomplete: ${what}.`, hint)
  }
  return { commit, path: root, files: wanted.length, bytes, entries }
}

function wholeRepoUnknown(ref: RepoRef, revision: string, complete: false | undefined, offlineVar: string): OfflineError {
  return complete === false
    ? new OfflineError(
        `${offlineVar} is set and only part of ${ref.id}@${revision} is cached: it was pulled with --include, --exclude or file names.`,
        `Run the same command once without ${offlineVar} to download the rest, or ask offline for the files you pulled.`,
      )
    : new OfflineError(
        `${offlineVar} is set and hfx cannot tell whether the cached snapshot of ${ref.id}@${revision} is the whole repo: an older hfx pulled it without recording that.`,
        `Run the same command once without ${offlineVar}: it downloads only what is missing and records the full listing.`,
      )
}

/** An offline dry run's plan: every file cached, nothing to download. */
export function offlinePlan(snap: OfflineSnapshot): Plan {
  const files = [...snap.entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e): PlannedFile => {
      // Blob names say the hash: 64 hex digits are an LFS file's sha256, 40 a git blob sha1.
      const lfs = e.etag.length === 64
      return { path: e.path, size: e.size, etag: e.etag, lfs, expected: { algorithm: lfs ? 'sha256' : 'git-sha1', hex: e.etag, size: e.size }, action: 'skip', partial: 0 }
    })
  return { files, totalBytes: snap.bytes, cachedBytes: snap.bytes, downloadBytes: 0 }
}
