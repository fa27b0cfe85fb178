// What a pull asks of one mirror (mirrors.ts makes them: Hugging Face mirrors, and ModelScope in
// modelscope-mirror.ts); fetch.ts asks, and checks every byte against the Hub's hash whatever the mirror.
import type { Expected } from '../content-hash.js'
import type { HubIO } from '../hub/get-json.js'
import type { RepoRef } from '../repo/repo-ref.js'

/** The file a mirror is asked for: the Hub's commit and hash, which its bytes must match. */
export interface MirrorJob {
  ref: RepoRef
  commit: string
  path: string
  expected: Expected
}

export interface Mirror {
  /** Its URL without credentials: what messages and events show. */
  readonly shown: string
  readonly io: HubIO
  /**
   * Whether to ask it for this file: undefined yes; otherwise why not, '' when there is nothing worth saying
   * (it lists no sha256 to check against a file the Hub hashes with git's sha1).
   */
  skip(job: MirrorJob): Promise<string | undefined>
  /** Where the mirror serves the file's bytes. */
  locate(job: MirrorJob): Promise<string>
  /** Closes its client when the pull made it (ModelScope's belongs to the caller, which closes it). */
  close(): Promise<void>
}
