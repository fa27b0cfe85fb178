// The mirrors of one pull (--mirror, HFX_MIRRORS): Hub-compatible endpoints asked for file bytes before the
// Hub. Each has a client of its own: a short connect timeout (a mirror that is down costs seconds, not the
// pull), its own user:password@ as Basic auth, and the Hub's token only when it is the Hub's own origin — a
// mirror is another host, and the hashes that make its bytes trustworthy come from the Hub, not from it.
import type { HubIO } from '../hub/get-json.js'
import { createHttp } from '../hub/http.js'
import { resolveUrl } from '../repo/hub-urls.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { afterFile, mirrorOrder, NEW_MIRROR, type MirrorHealth } from './mirror-order.js'

/** A mirror that does not accept a connection within this long is taken as down for that request. */
export const MIRROR_CONNECT_TIMEOUT_MS = 3000

export interface Mirror {
  /** Its URL without credentials: what messages and events show. */
  readonly shown: string
  readonly io: HubIO
  /** Where the mirror serves a file: the Hub's own URL shape, under the mirror's endpoint. */
  fileUrl(ref: RepoRef, commit: string, path: string): string
}

export class Mirrors {
  private readonly health: MirrorHealth[]

  private constructor(private readonly list: Mirror[]) {
    this.health = list.map(() => NEW_MIRROR)
  }

  /** `hub`: the session's transport, whose token goes only to a mirror on its own origin. */
  static open(urls: readonly string[], hub: HubIO, timeoutMs: number, connections: number): Mirrors {
    const hubOrigin = new URL(hub.http.endpoint).origin
    return new Mirrors(
      urls.map((raw) => {
        const sameOrigin = new URL(raw).origin === hubOrigin
        const http = createHttp(raw, sameOrigin ? hub.http.token : undefined, timeoutMs, connections, Math.min(timeoutMs, MIRROR_CONNECT_TIMEOUT_MS))
        const io: HubIO = { http, downloadFloor: hub.downloadFloor, signal: hub.signal }
        return { shown: http.endpoint, io, fileUrl: (ref, commit, path) => resolveUrl(http.endpoint, ref, commit, path) }
      }),
    )
  }

  /** The mirrors to try for the next file, best first; empty once every one has been given up. */
  forFile(): Mirror[] {
    return mirrorOrder(this.health).map((i) => this.list[i])
  }

  served(m: Mirror, bytes: number, ms: number): void {
    this.update(m, { ok: true, bytes, ms })
  }

  failed(m: Mirror): void {
    this.update(m, { ok: false })
  }

  close(): Promise<unknown> {
    return Promise.all(this.list.map((m) => m.io.http.close()))
  }

  private update(m: Mirror, outcome: Parameters<typeof afterFile>[1]): void {
    const i = this.list.indexOf(m)
    if (i >= 0) this.health[i] = afterFile(this.health[i], outcome)
  }
}
