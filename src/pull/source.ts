// Where a file's bytes come from. LFS files live behind a signed CDN URL that `resolve` hands out once;
// every Range request goes there (the Hub rate-limits `/resolve/` per request, the CDN does not), and an
// expired URL is resolved again, once, however many connections noticed it at the same time.
import type { HubIO } from '../hub/get-json.js'
import { locateFile } from '../hub/file-head.js'
import { resolveUrl } from '../repo/hub-urls.js'
import type { RepoRef } from '../repo/repo-ref.js'

export class FileSource {
  private current: Promise<string> | undefined

  constructor(
    private readonly io: HubIO,
    private readonly ref: RepoRef,
    private readonly commit: string,
    readonly path: string,
    private readonly lfs: boolean,
    /** A URL already located for this file (an expired one is located again, as any other). */
    located?: string,
  ) {
    if (located !== undefined) this.current = Promise.resolve(located)
  }

  url(): Promise<string> {
    if (!this.current) {
      // Hugging Face serves non-LFS files straight from /resolve/ (no lookup needed); other hubs say where.
      const located = this.lfs || this.io.backend
        ? locateFile(this.io, this.ref, this.commit, this.path).then((l) => l.url)
        : Promise.resolve(resolveUrl(this.io.http.endpoint, this.ref, this.commit, this.path))
      // A failed lookup must not be cached: the next caller tries again.
      this.current = located.catch((err) => {
        this.current = undefined
        throw err
      })
    }
    return this.current
  }

  /** Forget `url` if it is still the current one (several connections may report the same expiry). */
  async expire(url: string): Promise<void> {
    if (this.current && (await this.current.catch(() => undefined)) === url) this.current = undefined
  }

  /** The server sent us elsewhere: later requests go there directly. */
  redirected(location: string): void {
    this.current = Promise.resolve(location)
  }
}
