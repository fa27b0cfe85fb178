// Remembers which byte ranges of a partial file are on disk, in a small sidecar next to it, so a later run
// fetches only what is missing. Chunks are written at their offsets, in any order, so the file's length
// alone says nothing; the sidecar does. It is replaced atomically: written to a fresh temp name (O_EXCL, so
// a link planted there is never written through) and renamed over the old one (never following a link).
//
// A hard kill (OOM killer, a preempted spot instance, a CI runner torn down) gives no chance to save
// anything, so progress inside chunks is recorded as it lands and written out at most FLUSH_MS later, or
// sooner once FLUSH_BYTES more have landed: such a kill loses well under a second of transfer per connection,
// and at most about FLUSH_BYTES for the whole file on a fast link, not a 16 MiB chunk each. The record only
// ever names bytes whose write has completed, and the final hash decides anyway: nothing is fsynced, and a
// record the disk kept while losing its data is caught by that hash (read-back.ts states the bet).
import { randomBytes } from 'node:crypto'
import { lstat, rename, rm } from 'node:fs/promises'
import { sidecarName, sidecarTmpName } from '../cache/hfx-names.js'
import { readSmallFile, writeExclusive } from '../no-follow.js'
import { doneBytes, mergeRanges, type Range } from './chunks.js'
import { recordedOnDisk } from './read-back.js'

/** How often in-flight progress reaches the sidecar: one small write + rename a second per file. */
const FLUSH_MS = 1_000
/**
 * …and after this many bytes landed since the last write, whichever comes first. At 800 MB/s a second of
 * progress is 800 MB that a kill -9 makes the next run fetch again (the bench's resume measured 300–650 MB
 * on loopback); at 64 MiB it costs one more small write + rename per 64 MiB, nothing next to the bytes.
 */
const FLUSH_BYTES = 64 * 1024 * 1024
/** A sidecar lists merged ranges, a few bytes each; a bigger one is not ours. */
const MAX_SIDECAR = 16 * 1024 * 1024

/** The regular file at `file`: its length, or -1 when there is none (a symlink does not count). */
function fileSize(file: string): Promise<number> {
  return lstat(file).then((st) => (st.isFile() ? st.size : -1), () => -1)
}

function readSidecar(incomplete: string): Promise<string | undefined> {
  return readSmallFile(sidecarName(incomplete), MAX_SIDECAR).catch(() => undefined)
}

/** Which file a process wrote: the one it may delete, whatever now sits at its name. */
export interface FileIdentity {
  dev: number
  ino: number
}

interface Sidecar {
  version: 1
  etag: string
  size: number
  done: Range[]
}

function validRanges(v: unknown, size: number): v is Range[] {
  return (
    Array.isArray(v) &&
    v.every((r) => r && Number.isSafeInteger(r.start) && Number.isSafeInteger(r.end) && r.start >= 0 && r.start < r.end && r.end <= size)
  )
}

export class PartState {
  private writing: Promise<void> = Promise.resolve()
  /** Chunks being fetched: chunk start → end of the bytes written so far (always a contiguous run). */
  private readonly inflight = new Map<number, number>()
  private dirty = false
  /** Bytes recorded since the last write of the sidecar began. */
  private unflushed = 0
  private timer: NodeJS.Timeout | undefined
  /**
   * Set when what an earlier run left could not be trusted as it was (fetch.ts says so): a sidecar naming
   * bytes past the end of its file, or one that does not describe this file.
   */
  repaired?: string

  private constructor(
    readonly incomplete: string,
    readonly etag: string,
    readonly size: number,
    public done: Range[],
    /** Without a sidecar the file is written in order from byte 0, so its length is what is done. */
    private readonly sidecar: boolean,
  ) {
    if (sidecar) {
      this.timer = setInterval(() => {
        if (this.dirty) this.persist().catch(() => {})
      }, FLUSH_MS)
      this.timer.unref()
    }
  }

  /**
   * Opens the state of a partial download. Without a sidecar, the file was taken over from huggingface_hub
   * (claim-partial.ts), which writes in order: its length is a done prefix, and the final hash check catches
   * the case where that guess is wrong. A file fetched as one chunk is written in order too, so it needs no
   * sidecar (`sidecar: false` saves two writes per small file).
   */
  static async open(incomplete: string, etag: string, size: number, opts: { sidecar: boolean }): Promise<PartState> {
    if ((await fileSize(incomplete)) < 0) {
      // Nothing on disk (or not a file: fetch.ts replaces it): a fresh start; a stale sidecar, if any, is
      // overwritten by the first persist.
      const fresh = new PartState(incomplete, etag, size, [], opts.sidecar)
      await fresh.persist()
      return fresh
    }
    try {
      const s = JSON.parse((await readSidecar(incomplete)) ?? '') as Sidecar
      if (s.version === 1 && s.etag === etag && s.size === size && validRanges(s.done, size)) {
        const length = await fileSize(incomplete)
        if (length >= 0) {
          // Bytes past the end of the file are not on disk, whatever the sidecar says (a disk that lost the
          // file's tail, a copy cut short): trusting it made every later run fail reading them back.
          const done = mergeRanges(recordedOnDisk(s.done, length))
          const state = new PartState(incomplete, etag, size, done, true)
          if (doneBytes(size, done) < doneBytes(size, s.done)) {
            state.repaired = 'the partial download left by an earlier run is shorter than its record of done ranges; fetching the missing bytes'
            await state.persist()
          }
          return state
        }
      }
    } catch {
      // no sidecar, or an unreadable one: fall through
    }
    const prefix = Math.max(0, Math.min(await fileSize(incomplete), size))
    const sidecarKind = await lstat(sidecarName(incomplete)).then((st) => (st.isFile() ? 'file' : 'other'), () => undefined)
    if (sidecarKind) {
      // A sidecar that does not fit: nothing on disk is trusted. One that is not even a file (a folder)
      // must go too, or every later sidecar write would fail on it.
      await rm(incomplete, { force: true })
      await rm(sidecarName(incomplete), { force: true, recursive: sidecarKind === 'other' })
    }
    const state = new PartState(incomplete, etag, size, prefix > 0 && !sidecarKind ? [{ start: 0, end: prefix }] : [], opts.sidecar)
    if (sidecarKind && prefix > 0) state.repaired = 'the partial download left by an earlier run does not match its record; fetching the file again'
    await state.persist()
    return state
  }

  get bytesDone(): number {
    return doneBytes(this.size, this.done)
  }

  /** Records that the chunk starting at `start` is on disk up to `end` (its writes have resolved). */
  advance(start: number, end: number): void {
    if (end <= start) return
    this.unflushed += end - (this.inflight.get(start) ?? start)
    this.inflight.set(start, end)
    this.dirty = true
    if (this.sidecar && this.unflushed >= FLUSH_BYTES) this.persist().catch(() => {})
  }

  /** Records a range whose bytes have been written; it reaches the sidecar with the next flush. */
  markDone(r: Range): void {
    this.done = mergeRanges([...this.done, r])
    this.inflight.delete(r.start)
    this.dirty = true
  }

  /** Writes what is recorded now (before the process may exit). */
  flush(): Promise<void> {
    return this.dirty ? this.persist() : this.writing
  }

  /** Stops the periodic flush after writing out what is recorded. */
  async close(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.flush().catch(() => {})
  }

  /** Forgets every done range (the server ignored Range); the caller truncates the open file. */
  reset(): Promise<void> {
    this.done = []
    this.inflight.clear()
    return this.persist()
  }

  /**
   * Deletes the partial file and its sidecar: its bytes failed their hash and are not trusted. Only the file
   * this process wrote (`written`) is deleted: if another file now has its name (another process took it
   * over, or swapped it), that one is left alone and false is returned.
   */
  async discard(written: FileIdentity): Promise<boolean> {
    clearInterval(this.timer)
    this.done = []
    this.inflight.clear()
    await this.writing.catch(() => {})
    await rm(sidecarName(this.incomplete), { force: true })
    const st = await lstat(this.incomplete).catch(() => undefined)
    if (!st) return true
    if (st.dev !== written.dev || st.ino !== written.ino) return false
    await rm(this.incomplete, { force: true })
    return true
  }

  /** Writes are chained so an older snapshot of `done` never lands after a newer one. */
  private persist(): Promise<void> {
    if (!this.sidecar) return Promise.resolve()
    this.dirty = false
    this.unflushed = 0
    const inflight = [...this.inflight].map(([start, end]) => ({ start, end }))
    const body: Sidecar = { version: 1, etag: this.etag, size: this.size, done: mergeRanges([...this.done, ...inflight]) }
    this.writing = this.writing.then(async () => {
      const tmp = sidecarTmpName(this.incomplete, randomBytes(4).toString('hex'))
      try {
        await writeExclusive(tmp, JSON.stringify(body))
        await rename(tmp, sidecarName(this.incomplete))
      } catch (err) {
        await rm(tmp, { force: true })
        throw err
      }
    })
    return this.writing
  }

  async removeSidecar(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.writing.catch(() => {})
    if (this.sidecar) await rm(sidecarName(this.incomplete), { force: true })
  }
}

/** Bytes a resume would keep, read without changing anything (for plans and --dry-run). */
export async function partialBytes(incomplete: string, etag: string, size: number): Promise<number> {
  const length = await fileSize(incomplete)
  if (length < 0) return 0
  const raw = await readSidecar(incomplete)
  if (raw === undefined) return Math.min(length, size)
  try {
    const s = JSON.parse(raw) as Sidecar
    return s.version === 1 && s.etag === etag && s.size === size && validRanges(s.done, size) ? doneBytes(size, recordedOnDisk(s.done, length)) : 0
  } catch {
    return 0
  }
}
