// A gated repo (or a token that lost access) answers the revision and the listing but refuses every file
// with 401/403. Met first by the fetches, that left a line per file, a repo folder, lock folders and empty
// partials behind (a phantom repo in `hfx cache ls` that prune would not remove). So before anything is
// written, one lookup asks for a file the pull needs: the same request the fetch starts with, no bytes.
import { EXIT, RevisionNotFoundError, toHfxError } from '../errors.js'
import type { Hub } from '../hub/hub.js'
import type { RepoRef } from '../repo/repo-ref.js'
import type { RetryNotice } from '../retry/with-retry.js'

/**
 * Throws the hub's access error (exit 4) for `path`, or its RevisionNotFound for the commit; any other failure is left to the fetch, which meets it
 * again. Returns where the bytes are, so that the fetch of this file does not ask a second time.
 */
export async function checkAccess(
  hub: Hub,
  ref: RepoRef,
  commit: string,
  path: string | undefined,
  onRetry?: (n: RetryNotice) => void,
): Promise<string | undefined> {
  if (path === undefined) return undefined
  return hub.locateFile(ref, commit, path, { onRetry }).then(
    (l) => l.url,
    (err: unknown) => {
      // A commit the hub does not know fails every file the same way: one error, before anything is written.
      if (hub.io.signal?.aborted || err instanceof RevisionNotFoundError || toHfxError(err).exitCode === EXIT.auth) throw err
      return undefined
    },
  )
}
