// Fixture repos: content-addressed blobs, commits with exact file sets, refs, and revision lookup.
import { createHash } from 'node:crypto'
import { gitSha1, sha256 } from '../helpers/files.js'
import type { EmuFile, EmuRepo, FileSpec, RepoOptions, RepoType } from './types.js'

export interface Blob extends EmuFile {
  /** The LFS pointer text git stores instead of the content (LFS files only). */
  pointer?: Buffer
}

export interface Commit {
  sha: string
  message: string
  date: Date
  files: ReadonlyMap<string, Blob>
}

export const API_KIND: Record<RepoType, string> = { model: 'models', dataset: 'datasets', space: 'spaces' }
export const URL_PREFIX: Record<RepoType, string> = { model: '', dataset: 'datasets/', space: 'spaces/' }

const FULL_SHA = /^[0-9a-f]{40}$/
// The Hub accepts abbreviated commit shas; 7 is git's default abbreviation.
const SHORT_SHA = /^[0-9a-f]{7,39}$/

export function lfsPointer(sha: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha}\nsize ${size}\n`)
}

// Tests commit the same multi-MiB Buffer over and over (a new commit that changes one small file);
// hashing it again each time would dominate their run time.
const hashCache = new WeakMap<Buffer, { sha256: string; gitSha1?: string }>()

function makeBlob(spec: FileSpec, lfsThreshold: number): Blob {
  const raw = typeof spec === 'string' || Buffer.isBuffer(spec) ? spec : spec.content
  const content = typeof raw === 'string' ? Buffer.from(raw) : raw
  const explicit = typeof spec === 'object' && !Buffer.isBuffer(spec) ? spec.lfs : undefined
  const lfs = explicit ?? content.length >= lfsThreshold
  let hashes = hashCache.get(content)
  if (!hashes) {
    hashes = { sha256: sha256(content) }
    hashCache.set(content, hashes)
  }
  if (lfs) {
    const pointer = lfsPointer(hashes.sha256, content.length)
    // In git an LFS file is its pointer, so the tree's oid is the pointer's blob id (as on the real Hub).
    return { content, size: content.length, oid: gitSha1(pointer), sha256: hashes.sha256, lfs, pointer }
  }
  hashes.gitSha1 ??= gitSha1(content)
  return { content, size: content.length, oid: hashes.gitSha1, sha256: hashes.sha256, lfs }
}

export class Repo implements EmuRepo {
  readonly refs = new Map<string, string>()
  /** Plain ref names setRef was told are tags (the refs endpoint lists the others as branches). */
  readonly tagNames = new Set<string>()
  readonly commits = new Map<string, Commit>()
  /** sha256 → the blob and the path it was last committed under, so CDN requests know their file. */
  readonly lfsBlobs = new Map<string, { blob: Blob; path: string }>()
  rawTreeOverride?: unknown[]
  rawTreePages?: { count: number; body(page: number): string }
  readonly private: boolean
  readonly gated: false | 'auto' | 'manual'
  readonly disabled: boolean
  readonly tags: string[]
  readonly cardData?: Record<string, unknown>
  readonly infoOverride?: Record<string, unknown>
  readonly createdAt = new Date()

  constructor(
    readonly id: string,
    readonly type: RepoType,
    opts: RepoOptions,
    private readonly lfsThreshold: number,
    private readonly nextCounter: () => number,
  ) {
    this.private = opts.private ?? false
    this.gated = opts.gated ?? false
    this.disabled = opts.disabled ?? false
    this.tags = opts.tags ?? []
    this.cardData = opts.cardData
    this.infoOverride = opts.info
  }

  get head(): string {
    const sha = this.refs.get('main')
    if (!sha) throw new Error(`${this.id} has no main branch`)
    return sha
  }

  commit(files: Record<string, FileSpec>, opts: { branch?: string; message?: string } = {}): string {
    const branch = opts.branch ?? 'main'
    const blobs = new Map<string, Blob>()
    for (const path of Object.keys(files).sort()) {
      const blob = makeBlob(files[path]!, this.lfsThreshold)
      blobs.set(path, blob)
      if (blob.lfs) this.lfsBlobs.set(blob.sha256, { blob, path })
    }
    // Any 40-hex id will do; the counter keeps two commits of the same file set distinct.
    const hash = createHash('sha1').update(`commit ${this.nextCounter()} ${this.type}/${this.id} ${branch}\n`)
    for (const [path, blob] of blobs) hash.update(`${blob.oid} ${path}\n`)
    const sha = hash.digest('hex')
    this.commits.set(sha, { sha, message: opts.message ?? `Update ${branch}`, date: new Date(), files: blobs })
    this.refs.set(branch, sha)
    return sha
  }

  setRef(name: string, sha: string, opts: { tag?: boolean } = {}): void {
    if (!this.commits.has(sha)) throw new Error(`setRef(${name}): no commit ${sha} in ${this.id}`)
    this.refs.set(name, sha)
    if (opts.tag) this.tagNames.add(name)
  }

  /** The refs endpoint's answer: branches and tags by short name, converts, and pull requests when asked. */
  listRefs(includePrs: boolean): Record<string, { name: string; ref: string; targetCommit: string }[]> {
    const out: Record<string, { name: string; ref: string; targetCommit: string }[]> = { branches: [], converts: [], tags: [] }
    if (includePrs) out.pullRequests = []
    for (const [name, sha] of this.refs) {
      const m = /^refs\/(heads|tags|convert|pr)\/(.+)$/.exec(name)
      const kind = m ? { heads: 'branches', tags: 'tags', convert: 'converts', pr: 'pullRequests' }[m[1]!]! : this.tagNames.has(name) ? 'tags' : 'branches'
      const short = m ? m[2]! : name
      const full = m ? name : `refs/${kind === 'tags' ? 'tags' : 'heads'}/${name}`
      out[kind]?.push({ name: short, ref: full, targetCommit: sha })
    }
    return out
  }

  /** A ref name, a full sha, or an unambiguous short sha; undefined when nothing matches. */
  resolveRevision(rev: string): Commit | undefined {
    const byRef = this.refs.get(rev)
    if (byRef) return this.commits.get(byRef)
    if (FULL_SHA.test(rev)) return this.commits.get(rev)
    if (SHORT_SHA.test(rev)) {
      const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(rev))
      if (matches.length === 1) return this.commits.get(matches[0]!)
    }
    return undefined
  }

  file(path: string, rev = 'main'): EmuFile {
    const commit = this.resolveRevision(rev)
    if (!commit) throw new Error(`${this.id}: no revision ${rev}`)
    const blob = commit.files.get(path)
    if (!blob) throw new Error(`${this.id}@${rev}: no file ${path}`)
    return { content: blob.content, size: blob.size, oid: blob.oid, sha256: blob.sha256, lfs: blob.lfs }
  }

  sha256(path: string, rev?: string): string {
    return this.file(path, rev).sha256
  }

  gitSha1(path: string, rev?: string): string {
    return this.file(path, rev).oid
  }

  etag(path: string, rev?: string): string {
    const f = this.file(path, rev)
    return f.lfs ? f.sha256 : f.oid
  }
}
