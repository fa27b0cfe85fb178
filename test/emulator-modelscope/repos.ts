// ModelScope-shaped fixture repos: branches and tags by name, commits with exact file sets, and each file
// listed with the commit that last changed it, as the files API does.
import { createHash } from 'node:crypto'
import { sha256 } from '../helpers/files.js'
import type { MsFileSpec, MsRepo as PublicRepo, MsRepoOptions, MsRepoType } from './types.js'

export interface MsBlob {
  content: Buffer
  sha256: string
  lfs: boolean
  /** Commit that last changed this path, and its date (seconds). */
  revision: string
  committedDate: number
  message: string
}

interface Commit {
  sha: string
  files: Map<string, MsBlob>
}

export class Repo implements PublicRepo {
  readonly type: MsRepoType
  readonly private: boolean
  /** Datasets are listed by a numeric id. */
  readonly hubId: number
  readonly branches = new Map<string, Commit>()
  readonly tags = new Map<string, Commit>()
  readonly omitSha256 = new Set<string>()
  rawFilesOverride?: unknown[]

  constructor(
    readonly id: string,
    opts: MsRepoOptions,
    private readonly lfsThreshold: number,
    private readonly counter: () => number,
  ) {
    this.type = opts.type ?? 'model'
    this.private = opts.private ?? false
    this.hubId = 100_000 + counter()
  }

  get head(): string {
    return this.branches.get('master')!.sha
  }

  commit(files: Record<string, MsFileSpec>, opts: { branch?: string; message?: string } = {}): string {
    const branch = opts.branch ?? 'master'
    const n = this.counter()
    const message = opts.message ?? `commit ${n}`
    const sha = createHash('sha1').update(`${this.id}\n${n}\n${message}`).digest('hex')
    const date = 1_700_000_000 + n * 60
    const parent = this.branches.get(branch)
    const next = new Map<string, MsBlob>()
    for (const [path, spec] of Object.entries(files)) {
      const raw = typeof spec === 'string' || Buffer.isBuffer(spec) ? spec : spec.content
      const content = typeof raw === 'string' ? Buffer.from(raw) : raw
      const lfs = (typeof spec === 'object' && !Buffer.isBuffer(spec) ? spec.lfs : undefined) ?? content.length >= this.lfsThreshold
      const hash = sha256(content)
      const before = parent?.files.get(path)
      next.set(path, before && before.sha256 === hash && before.lfs === lfs ? before : { content, sha256: hash, lfs, revision: sha, committedDate: date, message })
    }
    this.branches.set(branch, { sha, files: next })
    return sha
  }

  tag(name: string, commit?: string): void {
    const found = [...this.branches.values(), ...this.tags.values()].find((c) => c.sha === (commit ?? this.head))
    if (!found) throw new Error(`tag: no commit ${commit}`)
    this.tags.set(name, found)
  }

  /** Branch or tag by name; ModelScope resolves nothing else. */
  at(rev: string): Commit | undefined {
    return this.branches.get(rev) ?? this.tags.get(rev)
  }

  sha256(path: string, rev = 'master'): string {
    const blob = this.at(rev)?.files.get(path)
    if (!blob) throw new Error(`sha256: no ${path} at ${rev}`)
    return blob.sha256
  }

  /** The files API's entries: folders as Type 'tree', files as 'blob'. */
  listing(rev: string): unknown[] {
    if (this.rawFilesOverride) return this.rawFilesOverride
    const commit = this.at(rev)!
    const dirs = new Set<string>()
    const out: unknown[] = []
    for (const [path, blob] of [...commit.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const parts = path.split('/')
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
      out.push({
        Name: parts[parts.length - 1],
        Path: path,
        Type: 'blob',
        Size: blob.content.length,
        Sha256: this.omitSha256.has(path) ? '' : blob.sha256,
        IsLFS: blob.lfs,
        Revision: blob.revision,
        CommittedDate: blob.committedDate,
        CommitMessage: blob.message,
        Mode: '33188',
        InCheck: false,
      })
    }
    for (const dir of dirs) out.push({ Name: dir.split('/').pop(), Path: dir, Type: 'tree', Size: 0, Sha256: '', IsLFS: false, Mode: '16384' })
    return out
  }
}
