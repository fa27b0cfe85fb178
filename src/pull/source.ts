// Where a file's bytes come from, at one origin (the Hub, or a mirror). LFS files live behind a signed CDN
// URL that the hub hands out once; every Range request goes there (the Hub rate-limits `/resolve/` per
// request, the CDN does not), and an expired URL is asked for again, once, however many connections noticed
// it at the same time.

export class FileSource {
  private current: Promise<string> | undefined

  constructor(
    /** Asks the origin where the file is now (the Hub: a HEAD on resolve; a mirror: its resolve URL). */
    private readonly locate: () => Promise<string>,
    /** A URL already located for this file (an expired one is located again, as any other). */
    located?: string,
  ) {
    if (located !== undefined) this.current = Promise.resolve(located)
  }

  url(): Promise<string> {
    if (!this.current) {
      // A failed lookup must not be cached: the next caller tries again.
      this.current = this.locate().catch((err) => {
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
