// The mirrors of one pull (--mirror, HFX_MIRRORS): endpoints asked for file bytes before the Hub. A Hugging
// Face mirror has a client of its own: a short connect timeout (a mirror that is down costs seconds, not the
// pull), its own user:password@ as Basic auth, and the Hub's token only when it is the Hub's own origin — a
// mirror is another host, and the hashes that make its bytes trustworthy come from the Hub, not from it.
// ModelScope (`ms://`, modelscope-mirror.ts) is asked only for files its own listing gives the Hub's sha256.
import type { HubIO } from '../hub/get-json.js'
import type { Hub } from '../hub/hub.js'
import { createHttp } from '../hub/http.js'
import { MIRROR_CONNECT_TIMEOUT_MS } from './defaults.js'
import { resolveUrl } from '../repo/hub-urls.js'
import type { Mirror, MirrorJob } from './mirror.js'
import { afterFile, mirrorOrder, NEW_MIRROR, type MirrorHealth } from './mirror-order.js'
import { modelscopeMirror } from './modelscope-mirror.js'


export interface MirrorSettings {
  /** The session's transport, whose token goes only to a mirror on its own origin. */
  hub: HubIO
  timeoutMs: number
  connections: number
  /** ModelScope, opened by the composition root with its own endpoint and token (for `ms://` mirrors). */
  modelscope?: () => Promise<Hub>
}

export class Mirrors {
  private readonly health: MirrorHealth[]

  private constructor(private readonly list: Mirror[]) {
    this.health = list.map(() => NEW_MIRROR)
  }

  static async open(urls: readonly string[], s: MirrorSettings): Promise<Mirrors> {
    const hubOrigin = new URL(s.hub.http.endpoint).origin
    const list: Mirror[] = []
    for (const raw of urls) {
      if (raw.startsWith('ms://')) {
        if (!s.modelscope) throw new Error(`no ModelScope client for the mirror ${raw}`)
        list.push(modelscopeMirror(await s.modelscope(), raw.slice('ms://'.length) || undefined))
        continue
      }
      const sameOrigin = new URL(raw).origin === hubOrigin
      const http = createHttp(raw, sameOrigin ? s.hub.http.token : undefined, s.timeoutMs, s.connections, Math.min(s.timeoutMs, MIRROR_CONNECT_TIMEOUT_MS))
      const io: HubIO = { http, downloadFloor: s.hub.downloadFloor, signal: s.hub.signal }
      list.push({
        shown: http.endpoint,
        io,
        skip: async () => undefined,
        locate: async (j: MirrorJob) => resolveUrl(http.endpoint, j.ref, j.commit, j.path),
        close: () => http.close(),
      })
    }
    return new Mirrors(list)
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
    return Promise.all(this.list.map((m) => m.close()))
  }

  private update(m: Mirror, outcome: Parameters<typeof afterFile>[1]): void {
    const i = this.list.indexOf(m)
    if (i >= 0) this.health[i] = afterFile(this.health[i], outcome)
  }
}
