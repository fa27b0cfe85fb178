// A short name for what a lock puts on disk, for CI caches (actions/cache `key:`, GitLab `cache:key`): the
// same lock gives the same key on every machine, and any change to what it pins gives a new one.
import { createHash } from 'node:crypto'
import { sortLock, type Lockfile } from './lockfile.js'

// Bumped if what goes into the key changes, so an old cache is never restored under a new meaning.
const KEY_SCHEME = 'hfx-cache-key/1'

/**
 * `hfx-` and 16 hex digits (64 bits) of a sha256 over, for each repo in lock order: hub, type, id, requested
 * revision (the cache keeps a ref under that name) and commit; and for each of its files: path, size and
 * hash. Left out: the file's layout (indent, key order, line breaks), so reformatting keeps the key, and the
 * include/exclude patterns, which only matter through the files they select.
 */
export function lockCacheKey(lock: Lockfile): string {
  const canonical = sortLock(lock).repos.map((r) => [
    r.hub,
    r.type,
    r.id,
    r.revision,
    r.commit,
    r.files.map((f) => [f.path, f.size, f.sha256 !== undefined ? `sha256:${f.sha256}` : `git:${f.gitOid}`]),
  ])
  const digest = createHash('sha256').update(`${KEY_SCHEME}\n${JSON.stringify(canonical)}`).digest('hex')
  return `hfx-${digest.slice(0, 16)}`
}
