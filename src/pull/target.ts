// Where a pull puts files: the shared huggingface_hub cache (target-cache.ts: blobs + snapshot symlinks +
// refs), or plain files in a --local-dir with huggingface_hub's metadata beside them (target-local-dir.ts).
// The pull pipeline only sees this interface, so both modes share every byte of the fetch and verify path.
import type { TreeFile } from '../hub/hub.js'
import type { PartialSite } from './claim-partial.js'
import type { ReplacedFile } from './reporter.js'
import type { FileState, PlannedFile } from './plan.js'
import type { VerifiedFile } from './publish.js'

export interface Target {
  /** What the user gets: the snapshot folder or the local folder. */
  root: string
  commit: string
  /** The folder whose filesystem receives the bytes (for the free-space check). */
  spaceDir: string
  /** Folders the pull writes in, checked before planning (pull/writable.ts); each may not exist yet. */
  writeDirs: string[]
  /** How to pick another place, for the hint when the target cannot be written. */
  elsewhere: string
  /** Files that held local changes when this pull replaced them (a --local-dir only); filled as it goes. */
  readonly replaced: ReplacedFile[]
  stateOf(f: TreeFile, etag: string): Promise<FileState>
  /** Where partial downloads of this file live (the folder is created); `fresh` lists it again. */
  partialSite(f: PlannedFile, fresh: boolean): Promise<PartialSite>
  /** Deletes abandoned partials of a file that is complete on disk (finished by another tool, say). */
  dropLeftovers(f: PlannedFile): Promise<void>
  /** The blob's lock file, its folder made; undefined when that folder is a symlink or cannot be made. */
  lockPath(f: PlannedFile): Promise<string | undefined>
  /** Whether the verified content is on disk now (another process may have finished it meanwhile). */
  isComplete(f: PlannedFile): Promise<boolean>
  /** Makes a verified partial file visible at its path. */
  publish(f: PlannedFile, verified: VerifiedFile): Promise<void>
  /** Makes already-complete content visible at this path. */
  link(f: PlannedFile): Promise<void>
  /** Marks complete content this pull reuses as in use now, so that a concurrent `cache prune` spares it. */
  hold(files: PlannedFile[]): Promise<void>
  /** Whether this path shows the file's verified content now (another process may have deleted it). */
  isLinked(f: PlannedFile): Promise<boolean>
  /** `complete`: `files` is the commit's whole listing (no --include, --exclude or file names). */
  finish(revision: string, commit: string, files: PlannedFile[], complete: boolean): Promise<void>
  /** Records that the commit has none of these files (named by the user, absent from the listing). */
  markAbsent(revision: string, commit: string, paths: string[]): Promise<void>
}
