// What a lockfile holds: the repos a project declared (hub, type, id, requested revision, selection) and what
// each resolved to (a commit and every selected file with its size and hash). parse.ts reads it, serialize.ts
// writes it, diff.ts compares two, cache-key.ts names its content; this file holds the shared shapes and order.
import { hfxCommand } from '../errors.js'
import type { HubName } from '../repo/hub-name.js'
import { formatRepoRef, type RepoType } from '../repo/repo-ref.js'

export const LOCK_VERSION = 1
export const DEFAULT_LOCK_FILE = 'hfx.lock'

/**
 * `hfx lock …` as a hint prints it: with `--file NAME` when the lock is not the default one, so that the
 * command acts on the lock the user named. `rest` holds placeholders (org/name) as well as real arguments,
 * so it is not quoted; `name` is.
 */
export function lockHint(name: string, rest: string): string {
  const file = name === DEFAULT_LOCK_FILE ? '' : ` ${hfxCommand('--file', name).slice('hfx '.length)}`
  return `hfx lock${file} ${rest}`
}

/** Exactly one hash: sha256 for LFS/Xet files (and every ModelScope file), the git blob sha1 otherwise. */
export type FileHash = { sha256: string; gitOid?: undefined } | { gitOid: string; sha256?: undefined }

export type LockedFile = { path: string; size: number } & FileHash

export interface LockedRepo {
  hub: HubName
  type: RepoType
  id: string
  /** What the project asked for: a branch, tag or commit, always written out (main / master when none was given). */
  revision: string
  /** The 40-hex commit `revision` resolved to. */
  commit: string
  include: string[]
  exclude: string[]
  files: LockedFile[]
}

export interface Lockfile {
  version: typeof LOCK_VERSION
  repos: LockedRepo[]
}

/** A repo's identity in a lock: one entry per hub, type and id (adding it again replaces the entry). */
export type RepoKey = Pick<LockedRepo, 'hub' | 'type' | 'id'>

export function sameRepo(a: RepoKey, b: RepoKey): boolean {
  return a.hub === b.hub && a.type === b.type && a.id === b.id
}

/** How a repo is named in messages, as a user would type it: `datasets/org/name@rev`, `ms://org/name@rev`. */
export function repoLabel(r: RepoKey & { revision?: string }): string {
  return formatRepoRef(r)
}

/** Code-unit order, not locale order: the same on every machine, so the file never reorders by itself. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Repos by id, then hub, then type. */
export function compareRepos(a: RepoKey, b: RepoKey): number {
  return byText(a.id, b.id) || byText(a.hub, b.hub) || byText(a.type, b.type)
}

export function compareFiles(a: { path: string }, b: { path: string }): number {
  return byText(a.path, b.path)
}

/** The lock in its one order (repos, then each repo's files), which serialize, diff and the cache key rely on. */
export function sortLock(lock: Lockfile): Lockfile {
  return {
    version: lock.version,
    repos: [...lock.repos].sort(compareRepos).map((r) => ({ ...r, files: [...r.files].sort(compareFiles) })),
  }
}

/** `lock` with `repo` added, or replacing the entry for the same hub, type and id. */
export function putRepo(lock: Lockfile, repo: LockedRepo): Lockfile {
  return sortLock({ version: lock.version, repos: [...lock.repos.filter((r) => !sameRepo(r, repo)), repo] })
}

export function fileHash(f: FileHash): { algorithm: 'sha256' | 'gitOid'; value: string } {
  return f.sha256 !== undefined ? { algorithm: 'sha256', value: f.sha256 } : { algorithm: 'gitOid', value: f.gitOid }
}
