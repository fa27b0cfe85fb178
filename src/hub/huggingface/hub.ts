// The Hugging Face Hub, or a mirror of it (HF_ENDPOINT), behind the Hub interface. Stateless: each answer
// comes from the Hub's API (revision.ts, tree.ts, file-head.ts); only the session's HubIO is held.
import { resolveUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef } from '../../repo/repo-ref.js'
import type { RetryNotice } from '../../retry/with-retry.js'
import type { HubIO } from '../get-json.js'
import type { FileLocation, Hub, RangeSource, ReadMeter, RepoInfo, TreeEntry } from '../hub.js'
import { readRange } from '../range-read.js'
import { readSmallFile } from '../read-small-file.js'
import { locateFile } from './file-head.js'
import { explainNotFound } from './not-found.js'
import { resolveRevision } from './revision.js'
import { listTree } from './tree.js'

export class HuggingFaceHub implements Hub {
  readonly name = 'huggingface'

  constructor(readonly io: HubIO) {}

  async resolveRevision(ref: RepoRef): Promise<RepoInfo> {
    try {
      return await resolveRevision(this.io, ref)
    } catch (err) {
      throw await explainNotFound(this.io, ref, err) // the refs for an unknown revision, the type for an unknown repo
    }
  }

  listTree(ref: RepoRef, commit: string, opts: { path?: string; recursive?: boolean } = {}): AsyncGenerator<TreeEntry> {
    return listTree(this.io, ref, commit, opts)
  }

  locateFile(ref: RepoRef, commit: string, path: string, opts: { onRetry?: (n: RetryNotice) => void } = {}): Promise<FileLocation> {
    return locateFile(opts.onRetry ? { ...this.io, onRetry: opts.onRetry } : this.io, ref, commit, path)
  }

  /** Non-LFS files are served straight from /resolve/ (no HEAD needed); LFS files from the CDN URL it redirects to. */
  async downloadUrl(ref: RepoRef, commit: string, path: string, opts: { lfs: boolean }): Promise<string> {
    return opts.lfs ? (await this.locateFile(ref, commit, path)).url : resolveUrl(this.io.http.endpoint, ref, commit, path)
  }

  readSmallFile(ref: RepoRef, commit: string, path: string, limit: number, meter: ReadMeter): Promise<Buffer> {
    const ctx = { endpoint: this.io.http.endpoint, repoId: repoName(ref), revision: commit, path }
    return readSmallFile(this.io, resolveUrl(this.io.http.endpoint, ref, commit, path), ctx, limit, meter)
  }

  readRange(src: RangeSource, start: number, end: number, meter: ReadMeter): Promise<Buffer> {
    return readRange(this.io, src, start, end, meter)
  }
}
