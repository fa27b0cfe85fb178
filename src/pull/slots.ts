// A cap on Range requests in flight across the whole pull, handed out by priority: files that started
// first get their connections first, so files finish in order instead of all crawling at once, and
// small files (one request each) still fill the slots a large file leaves free.
export class Slots {
  private free: number
  private waiting: { priority: number; grant: () => void }[] = []

  constructor(size: number) {
    this.free = size
  }

  /** Resolves when a slot is ours; call the returned function to give it back. */
  async acquire(priority: number): Promise<() => void> {
    if (this.free > 0 && this.waiting.length === 0) {
      this.free--
    } else {
      await new Promise<void>((grant) => {
        const i = this.waiting.findIndex((w) => w.priority > priority)
        this.waiting.splice(i < 0 ? this.waiting.length : i, 0, { priority, grant })
      })
    }
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiting.shift()
      if (next) next.grant()
      else this.free++
    }
  }
}
