// Which cached commit `repo@rev` means, answered from the cache alone: `hfx cache` never asks the Hub
// what a branch points to, because the question is what is on this disk.
import { NotInCacheError } from '../errors.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { refsTo, type CachedRepo } from './cached-repo.js'

/** Git's shortest unambiguous abbreviation is 4 hex digits; fewer would match by accident. */
const MIN_PREFIX = 4

/** All commits the cache knows for a repo: snapshots, ref targets and `.no_exist` markers. */
export function knownCommits(repo: CachedRepo): string[] {
  return [...new Set([...repo.snapshots.map((s) => s.commit), ...repo.refs.map((r) => r.commit), ...repo.noExist])].sort()
}

/**
 * A ref name (`main`, `v1.0`, `refs/pr/1`), a full commit or a unique commit prefix. Without a revision:
 * `main`, or the only snapshot when there is no `refs/main` (a snapshot fetched by commit sha).
 */
export function resolveLocalRevision(repo: CachedRepo, revision: string | undefined): string {
  const name = formatRepoRef({ type: repo.type, id: repo.id })
  const ref = repo.refs.find((r) => r.name === (revision ?? 'main'))
  if (ref) return ref.commit
  const commits = knownCommits(repo)
  if (revision === undefined && repo.snapshots.length === 1) return repo.snapshots[0].commit
  if (revision !== undefined && /^[0-9a-f]+$/.test(revision) && revision.length >= MIN_PREFIX) {
    const matches = commits.filter((c) => c.startsWith(revision))
    if (matches.length === 1) return matches[0]
    if (matches.length > 1) {
      throw new NotInCacheError(`'${revision}' matches ${matches.length} cached commits of ${name}.`, `Give more digits: ${matches.map((c) => c.slice(0, 12)).join(', ')}.`)
    }
  }
  const listed = commits.map((c) => {
    const refs = refsTo(repo, c)
    return refs.length ? `${c.slice(0, 12)} (${refs.join(', ')})` : c.slice(0, 12)
  })
  throw new NotInCacheError(
    `${name}@${revision ?? 'main'} is not in the cache.`,
    listed.length ? `Cached revisions: ${listed.join(', ')}.` : `Nothing of ${name} is cached; see hfx cache ls.`,
  )
}
