// hfx pull --locked, for one lock entry: the pull engine fed the lock's commit and files instead of a resolved
// revision and a listing. So a cold pull makes no API call (only resolve/<commit>/<path> and the CDN), a warm
// one makes no request at all (the engine asks for the hub only to fetch), and every file is verified against
// the lock's hash rather than what the server says now. What that means when it fails is said here, in the
// lock's terms: the commit is gone, or the bytes are not the locked ones.
import { hfxCommand, IntegrityError, LockedCommitGoneError, RevisionNotFoundError } from '../errors.js'
import type { TreeFile } from '../hub/hub.js'
import { DEFAULT_LOCK_FILE, repoLabel, type LockedFile, type LockedRepo } from '../lock/lockfile.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { pull } from './index.js'
import type { PullSummary } from './reporter.js'
import type { PullIO, PullRequest } from './request.js'

/** A locked file as the engine plans it: sha256 files are LFS (fetched from the CDN), git oids from resolve/. */
export function lockedTreeFile(f: LockedFile): TreeFile {
  return f.sha256 !== undefined
    ? { type: 'file', path: f.path, size: f.size, oid: '', lfs: { oid: f.sha256, size: f.size } }
    : { type: 'file', path: f.path, size: f.size, oid: f.gitOid }
}

/**
 * The pull of one entry. The selection is the entry's own, applied to its files again (a no-op): it tells
 * the cache whether the commit is held whole, as for `hfx pull --include`.
 */
export function lockedRequest(entry: LockedRepo): Pick<PullRequest, 'ref' | 'select' | 'locked'> {
  // ModelScope fetches by revision name (it has no commits): the lock's revision, checked against its snapshot id.
  const ref: RepoRef = { type: entry.type, id: entry.id, revision: entry.revision, ...(entry.hub === 'modelscope' ? { hub: entry.hub } : {}) }
  return {
    ref,
    select: { include: entry.include, exclude: entry.exclude },
    locked: { revision: entry.revision, commit: entry.commit, files: entry.files.map(lockedTreeFile) },
  }
}

export type LockedPullOptions = Omit<PullRequest, 'ref' | 'select' | 'locked'>

/** `lockName` is how messages name the lockfile (the --locked argument as typed). */
export async function pullLocked(entry: LockedRepo, opts: LockedPullOptions, io: PullIO, lockName: string): Promise<PullSummary> {
  try {
    return await pull({ ...opts, ...lockedRequest(entry) }, io)
  } catch (err) {
    throw inLockTerms(err, entry, lockName)
  }
}

function inLockTerms(err: unknown, entry: LockedRepo, lockName: string): unknown {
  const label = repoLabel(entry)
  const update = hfxCommand('lock', ...(lockName === DEFAULT_LOCK_FILE ? [] : ['--file', lockName]), '--update', repoLabel({ ...entry, revision: undefined }))
  if (err instanceof RevisionNotFoundError) {
    const message =
      entry.hub === 'modelscope'
        ? `${label} now lists other files than ${lockName} pins (snapshot ${entry.commit}); ModelScope has no commits to fetch the locked one by.`
        : `the commit ${entry.commit} that ${lockName} pins for ${label} no longer exists upstream (force-pushed away, or the history was rewritten).`
    return new LockedCommitGoneError(message, `Review what changed with \`hfx lock --check\`, then pin the revision again: ${update}`, { cause: err })
  }
  if (err instanceof IntegrityError) {
    return new IntegrityError(
      err.path,
      err.algorithm,
      err.expected,
      err.found,
      `The server sent other bytes than ${lockName} pins for ${label} at ${entry.commit} (a file changed under a force-pushed commit, or a mirror serving different content); nothing unverified was kept. If the change is expected: ${update}`,
    )
  }
  return err
}
