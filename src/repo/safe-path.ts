// File names come from the server. A hostile or broken endpoint could list `../../.bashrc`, `/etc/x`,
// `C:\x` or a NUL-truncated name; every path is checked here before it is joined to anything on disk.
import path from 'node:path'
import { UnsafePathError } from '../errors.js'

const MAX_PATH_LENGTH = 4096 // PATH_MAX on Linux; the Hub has no longer paths
const MAX_SEGMENT_BYTES = 255 // NAME_MAX on ext4, APFS and NTFS

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

function unsafeReason(p: string): string | undefined {
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
  }
  return undefined
}
