// hfx's manifest of a pulled commit (`<repo folder>/.hfx/manifests/<commit>.json`, hfx-names.ts): which
// files a snapshot should hold, so an offline pull tells a complete snapshot from a partial one and
// `cache verify` can check offline against more than the blob names.
import { readSmallFile } from '../no-follow.js'
import type { RepoType } from '../repo/repo-ref.js'
import { manifestPath } from './hfx-names.js'
import { repoCache } from './layout.js'

/** A manifest lists every file of a commit in a few lines each; anything bigger is not one (or is /dev/zero). */
const MAX_MANIFEST = 64 * 1024 * 1024

export interface ManifestEntry {
  path: string
  etag: string
  size: number
}

export interface Manifest {
  commit: string
  files: ManifestEntry[]
  /**
   * true: `files` is the commit's whole listing (some pull took no --include, --exclude or file names).
   * false: only what selective pulls fetched. Missing: written by an hfx that did not record it, so unknown.
   */
  complete?: boolean
}

export function manifestFile(cacheDir: string, repo: { type: RepoType; id: string }, commit: string): string {
  return manifestPath(repoCache(cacheDir, repo).repoDir, commit)
}

/** The manifest at `file`, or undefined when there is none, or it is not one (never read through a link). */
export async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readSmallFile(file, MAX_MANIFEST)) as Manifest
    return Array.isArray(m.files) ? m : undefined
  } catch {
    return undefined
  }
}

/** `old` with `files` added (a later pull of the same commit). Pure. */
export function mergeManifest(old: Manifest | undefined, commit: string, files: ManifestEntry[], complete: boolean): Manifest {
  const merged = new Map((old?.files ?? []).map((e) => [e.path, e]))
  for (const f of files) merged.set(f.path, { path: f.path, etag: f.etag, size: f.size })
  // A commit never changes, so once one pull listed all of it, later selective pulls add nothing unknown.
  return { commit, files: [...merged.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), complete: complete || old?.complete === true }
}
