// What a pull is asked to do (PullRequest) and what it works with (PullIO): the input of every step of
// pull() (index.ts).
import type { Hub, TreeFile } from '../hub/hub.js'
import type { RepoRef } from '../repo/repo-ref.js'
import type { Reporter } from './reporter.js'
import type { Selection } from '../select/filters.js'

export interface PullRequest {
  ref: RepoRef
  select: Selection
  localDir?: string
  /** Files downloaded at the same time. */
  maxFiles: number
  /** Parallel Range requests within one large file. */
  connections: number
  /** Range requests in flight across all files (default PULL_DEFAULTS.maxRequests). */
  maxRequests?: number
  chunkSize: number
  /** The bandwidth cap of the whole pull, bytes per second (--limit-rate, HFX_LIMIT_RATE); 0 or unset: none. */
  limitRate?: number
  dryRun: boolean
  /** --force-download: fetch every selected file again, even those already on disk (plan.ts). */
  refetch?: boolean
  /** --fit: fetch the largest weight variant whose files fit this many bytes of memory (pick-variant.ts). */
  fitBytes?: number
  /** A locked pull (hfx pull --locked): the commit and files come from the lock, not from the hub. */
  locked?: LockedSource
  /** Hub-compatible endpoints asked for file bytes before the hub (--mirror, HFX_MIRRORS); hashes still come from the hub. */
  mirrors?: string[]
}

/**
 * What a lock pins for one repo, as the engine plans from it: the revision to record in refs/, the commit
 * whose files are fetched, and the files with the hash each is verified against. No API call is needed.
 */
export interface LockedSource {
  revision: string
  commit: string
  files: TreeFile[]
}

export interface PullIO {
  /**
   * The session's hub, asked for when the pull first needs it: a locked pull whose files are all on disk never
   * opens a session (no token lookup, no client, no request).
   */
  hub(): Promise<Hub>
  cacheDir: string
  offline: boolean
  /** The variable that set `offline`, named in its errors (default HF_HUB_OFFLINE). */
  offlineVar?: string
  report: Reporter
  signal: AbortSignal
  /** Worker threads that hash large files; 0 hashes everything on the main thread (default: by core count). */
  hashThreads?: number
  /** Worker threads that receive large files; 0 receives on the main thread (default: by core count). */
  receiveThreads?: number
  /** How long to wait for another process's blob lock while it shows no progress (default LOCK_PATIENCE_MS). */
  lockPatienceMs?: number
  /** The per-request inactivity timeout of downloads (HF_HUB_DOWNLOAD_TIMEOUT), for the mirrors' clients. */
  downloadTimeoutMs?: number
  /** ModelScope with its own endpoint and token, for `ms://` mirrors: opened only when one is asked of. */
  modelscope?: () => Promise<Hub>
}
