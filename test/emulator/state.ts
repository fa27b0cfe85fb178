// What both origins share: options, repos, tokens, faults, throttle and the request log.
import { randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { FaultQueue } from './faults.js'
import type { Repo } from './repos.js'
import { Throttle } from './throttle.js'
import type { HubOptions, RepoType, RequestLog, TokenGrant, TrustedPublisher } from './types.js'

export class HubState {
  readonly options: Required<HubOptions>
  url = ''
  cdnUrl = ''
  /** Per-hub signing key, so a URL signed by one emulator is rejected by another. */
  readonly secret = randomBytes(32)
  readonly repos = new Map<string, Repo>()
  readonly tokens = new Map<string, TokenGrant>()
  readonly publishers: TrustedPublisher[] = []
  /** Tokens handed out by /oauth/token. */
  readonly exchanged: string[] = []
  readonly faults = new FaultQueue()
  readonly throttle = new Throttle()
  /** Aborted by close(): ends latency and throttle waits, and stalled responses. */
  readonly closing = new AbortController()
  /** Cleared in place by resetLog(), so Hub.requests can be the same array for the hub's lifetime. */
  readonly requests: RequestLog[] = []
  private served = new Map<string, number>()
  private commitCounter = 0

  constructor(opts: HubOptions) {
    // Every response waiting for its socket to drain listens here: dozens at once in a bench, not a leak.
    setMaxListeners(0, this.closing.signal)
    this.options = {
      pageSize: opts.pageSize ?? 1000,
      urlTtlMs: opts.urlTtlMs ?? 3_600_000,
      lfsThreshold: opts.lfsThreshold ?? 10 * 1024,
      mirror: opts.mirror ?? false,
      cdnHost: opts.cdnHost ?? opts.listenHost ?? '127.0.0.1',
      basicAuth: opts.basicAuth ?? false,
      listenHost: opts.listenHost ?? '127.0.0.1',
      tls: opts.tls ?? false,
    }
  }

  nextCommit(): number {
    return ++this.commitCounter
  }

  findRepo(type: RepoType, id: string): Repo | undefined {
    return this.repos.get(`${type}:${id}`)
  }

  countServed(repoId: string, filePath: string, n: number): void {
    const key = `${repoId}\0${filePath}`
    this.served.set(key, (this.served.get(key) ?? 0) + n)
  }

  bytesServed(filePath?: string, repoId?: string): number {
    let total = 0
    for (const [key, n] of this.served) {
      const [repo, path] = key.split('\0') as [string, string]
      if ((filePath === undefined || path === filePath) && (repoId === undefined || repo === repoId)) total += n
    }
    return total
  }

  resetLog(): void {
    this.requests.length = 0
    this.served = new Map()
  }
}
