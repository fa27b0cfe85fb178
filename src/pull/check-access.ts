// A gated repo (or a token that lost access) answers the revision and the listing but refuses every file
// with 401/403. Met first by the fetches, that left a line per file, a repo folder, lock folders and empty
// partials behind (a phantom repo in `hfx cache ls` that prune would not remove). So before anything is
// written, one HEAD asks for a file the pull needs: the same request the fetch starts with, no bytes.
import { EXIT, toHfxError } from '../errors.js'
import { locateFile } from '../hub/file-head.js'
import type { HubIO } from '../hub/get-json.js'
import type { RepoRef } from '../repo/repo-ref.js'

/** Throws the Hub's access error (exit 4) for `path`; any other failure is left to the fetch that meets it again. */
export async function checkAccess(io: HubIO, ref: RepoRef, commit: string, path: string | undefined, signal: AbortSignal): Promise<void> {
  if (path === undefined) return
  await locateFile(io, ref, commit, path).catch((err: unknown) => {
    if (signal.aborted || toHfxError(err).exitCode === EXIT.auth) throw err
  })
}
