// Which cached commit `repo@rev` means, answered from the cache alone. The one resolver behind every offline
// answer: `HF_HUB_OFFLINE=1 hfx pull` and the `hfx cache` commands (which never ask the Hub what a branch
// points to, because the question is what is on this disk). In order:
//   1. refs/<rev>, or refs/<default branch> without a rev. This is what huggingface_hub's offline lookups read,
//      and it covers short shas too: a pull at `abc1234` writes refs/abc1234, as huggingface_hub does.
//   2. a full commit that the cache knows (a snapshot, a ref's target or `.no_exist` markers) is itself.
//   3. a hex prefix of at least MIN_PREFIX digits that exactly one known commit starts with. huggingface_hub
//      has no such rule; it finds snapshots of a short sha that no ref names (an older hfx wrote none).
//   4. no rev and no ref for the default branch: the only snapshot, if there is exactly one. Only the cache
//      commands ask without a rev; a pull always means a branch (`org/name` is main) and never guesses.
// A rev that a ref names always wins over a commit it happens to prefix, as in git.
import { NotInCacheError } from '../errors.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { refsTo, type CachedRepo, type Ref } from './cached-repo.js'

/** Git's shortest unambiguous abbreviation is 4 hex digits; fewer would match by accident. */
const MIN_PREFIX = 4

/** What resolving needs to know of one cached repo: no file in a snapshot is read. */
export interface LocalRevisions {
  refs: Ref[]
  /** Commits with a `snapshots/<commit>/` folder. */
  snapshots: string[]
  /** Commits with a `.no_exist/<commit>/` folder. */
  noExist: string[]
}

export type LocalResolution =
  | { found: true; commit: string }
  /** `matches`: the cached commits an ambiguous short sha starts with; empty when nothing matched at all. */
  | { found: false; matches: string[] }

export function revisionsOf(repo: CachedRepo): LocalRevisions {
  return { refs: repo.refs, snapshots: repo.snapshots.map((s) => s.commit), noExist: repo.noExist }
}

/** All commits the cache knows for a repo: snapshots, ref targets and `.no_exist` markers. */
export function knownCommits(local: LocalRevisions): string[] {
  return [...new Set([...local.snapshots, ...local.refs.map((r) => r.commit), ...local.noExist])].sort()
}

/** `defaultBranch` is `main` on the Hugging Face Hub, `master` on ModelScope (repo-ref.ts defaultRevision). */
export function resolveLocal(local: LocalRevisions, revision: string | undefined, defaultBranch: string): LocalResolution {
  const ref = local.refs.find((r) => r.name === (revision ?? defaultBranch))
  if (ref) return { found: true, commit: ref.commit }
  if (revision === undefined) {
    return local.snapshots.length === 1 ? { found: true, commit: local.snapshots[0] } : { found: false, matches: [] }
  }
  if (!/^[0-9a-f]+$/.test(revision) || revision.length < MIN_PREFIX) return { found: false, matches: [] }
  const matches = knownCommits(local).filter((c) => c.startsWith(revision))
  return matches.length === 1 ? { found: true, commit: matches[0] } : { found: false, matches }
}

/** For `hfx cache …`: the commit, or a NotInCacheError that lists what is cached. */
export function resolveLocalRevision(repo: CachedRepo, revision: string | undefined, defaultBranch: string): string {
  const r = resolveLocal(revisionsOf(repo), revision, defaultBranch)
  if (r.found) return r.commit
  const name = formatRepoRef({ type: repo.type, id: repo.id })
  if (r.matches.length) throw ambiguousError(`${name}@${revision}`, r.matches, NotInCacheError)
  const listed = knownCommits(revisionsOf(repo)).map((c) => {
    const refs = refsTo(repo, c)
    return refs.length ? `${c.slice(0, 12)} (${refs.join(', ')})` : c.slice(0, 12)
  })
  throw new NotInCacheError(
    `${name}@${revision ?? defaultBranch} is not in the cache.`,
    listed.length ? `Cached revisions: ${listed.join(', ')}.` : `Nothing of ${name} is cached; see hfx cache ls.`,
  )
}

/** A short sha that several cached commits start with: the caller's error class, the candidates in the hint. */
export function ambiguousError<E>(what: string, matches: string[], make: new (message: string, hint?: string) => E): E {
  return new make(`'${what}' matches ${matches.length} cached commits.`, `Give more digits: ${matches.map((c) => c.slice(0, 12)).join(', ')}.`)
}
