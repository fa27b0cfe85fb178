// File names come from the server. A hostile or broken endpoint could list `../../.bashrc`, `/etc/x`,
// `C:\x` or a NUL-truncated name; every path is checked here before it is joined to anything on disk.
//
// A `.git` segment is refused too, as git refuses it (read-tree.c verify_path): a mirror that writes
// `.git/config` with `core.fsmonitor` into a --local-dir (or a snapshot a user cd's into) runs code the next
// time git, or a shell prompt that calls git, looks at the folder. The names a file system takes for `.git`
// count as `.git`: any case; NTFS drops trailing dots and spaces, reads `name:stream` as `name`, and knows
// `.git` by its 8.3 short name `git~1`; HFS+ ignores some zero-width and bidi code points.
import path from 'node:path'
import { UnsafePathError } from '../errors.js'

const MAX_PATH_LENGTH = 4096 // PATH_MAX on Linux; the Hub has no longer paths
const MAX_SEGMENT_BYTES = 255 // NAME_MAX on ext4, APFS and NTFS

/** Code points HFS+ leaves out when it compares names (git's list, utf8.c next_hfs_char). */
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g

/**
 * The name a file system may read `segment` as, folded for comparison: lower case, HFS+ ignorables removed,
 * an NTFS stream suffix (`:…`) and trailing dots and spaces cut. Stricter than git, which tests the HFS+
 * and NTFS rules one at a time; no real repo has a name that only the combination catches.
 */
function foldedName(segment: string): string {
  const name = segment.replace(HFS_IGNORED, '').toLowerCase()
  const colon = name.indexOf(':')
  return (colon >= 0 ? name.slice(0, colon) : name).replace(/[. ]+$/, '')
}

/** Whether a file system may take `segment` for `name` (lower case), or for one of its 8.3 short names. */
function sameEntry(segment: string, name: string, shortName?: RegExp): boolean {
  const folded = foldedName(segment)
  return folded === name || shortName?.test(folded) === true
}

/** Returns `repoPath` unchanged if it is a plain relative POSIX path; otherwise throws UnsafePathError. */
export function checkRepoPath(repoPath: string): string {
  const reason = unsafeReason(repoPath)
  if (reason) throw new UnsafePathError(repoPath, reason)
  return repoPath
}

/** For names a user typed: whether checkRepoPath would accept them. */
export function isSafeRepoPath(repoPath: string): boolean {
  return unsafeReason(repoPath) === undefined
}

/** Joins a server path under `root`, after checking it, and asserts the result cannot leave `root`. */
export function safeJoin(root: string, repoPath: string): string {
  checkRepoPath(repoPath)
  const base = path.normalize(root)
  const joined = path.join(base, ...repoPath.split('/'))
  // Belt and braces: the checks above already rule out escaping, but this is the property that matters.
  const prefix = base.endsWith(path.sep) ? base : base + path.sep
  if (!joined.startsWith(prefix)) throw new UnsafePathError(repoPath, 'it resolves outside the target folder')
  return joined
}

/** Why hfx must not write this repo path anywhere, or undefined for a plain relative path. */
export function unsafeReason(p: string): string | undefined {
  if (p === '') return 'empty path'
  if (p.length > MAX_PATH_LENGTH) return `longer than ${MAX_PATH_LENGTH} characters`
  if (p.includes('\0')) return 'contains a NUL byte'
  if (/[\x01-\x1f\x7f-\x9f]/.test(p)) return 'contains a control character'
  if (p.includes('\\')) return 'contains a backslash' // a separator on Windows: `a\..\..\x` escapes there
  if (p.startsWith('/')) return 'absolute path'
  if (/^[A-Za-z]:/.test(p)) return 'starts with a drive letter'
  for (const segment of p.split('/')) {
    if (segment === '') return 'has an empty segment'
    if (segment === '.' || segment === '..') return `has a '${segment}' segment`
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) return `has a name longer than ${MAX_SEGMENT_BYTES} bytes`
    if (sameEntry(segment, '.git', /^git~1$/)) return 'has a .git segment, which git itself refuses'
  }
  return undefined
}

/**
 * Why this repo path must not be written into a --local-dir, or undefined. huggingface_hub and hfx keep a
 * local folder's metadata, locks and partial downloads in its `.cache/huggingface/`: a repo file there could
 * overwrite or impersonate them (a file listed at hfx's own partial path gets published from it). Only the
 * top level is theirs; `sub/.cache/huggingface/x` is an ordinary file. In the cache, files live under
 * snapshots/<commit>/, away from blobs/, .locks/ and .hfx/, so the rule is for --local-dir alone.
 */
export function localDirConflict(p: string): string | undefined {
  const [first, second] = p.split('/')
  if (second === undefined || !sameEntry(first, '.cache', /^cache~\d$/) || !sameEntry(second, 'huggingface', /^huggin~\d$/)) return undefined
  return "inside .cache/huggingface/, a --local-dir's metadata folder"
}

/** For listings that write nothing (ls, info): why a pull would refuse this path, in either mode, or undefined. */
export function pullRefusal(p: string): string | undefined {
  const reason = unsafeReason(p)
  if (reason) return reason
  const local = localDirConflict(p)
  return local && `with --local-dir only: ${local}`
}

/** checkRepoPath for a path written into a --local-dir: also refuses the metadata folder. */
export function checkLocalDirPath(repoPath: string): string {
  checkRepoPath(repoPath)
  const reason = localDirConflict(repoPath)
  if (reason) throw new UnsafePathError(repoPath, reason)
  return repoPath
}
