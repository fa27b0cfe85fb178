// The Hub's tree and paths-info entries, built from what a cached snapshot holds: for each file its blob
// name (the etag) and size. The blob name says the kind (cached-hub.ts reads it the same way): 64 hex digits
// are an LFS file's sha256, 40 a git blob sha1. An LFS entry's `oid` is the git sha1 of its pointer file,
// which the pointer's fixed text lets us recompute, so a client comparing oids sees what the Hub would send.
import { createHash } from 'node:crypto'

export interface CachedFile {
  path: string
  /** The blob's name in blobs/: the file's etag. */
  etag: string
  size: number
}

export interface FileEntry {
  type: 'file'
  oid: string
  size: number
  path: string
  lfs?: { oid: string; size: number; pointerSize: number }
}
export interface DirEntry {
  type: 'directory'
  oid: string
  size: 0
  path: string
}
export type Entry = FileEntry | DirEntry

export function isLfsEtag(etag: string): boolean {
  return /^[0-9a-f]{64}$/.test(etag)
}

function gitBlobSha1(content: string): string {
  return createHash('sha1').update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest('hex')
}

export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`
}

export function fileEntry(f: CachedFile): FileEntry {
  if (!isLfsEtag(f.etag)) return { type: 'file', oid: f.etag, size: f.size, path: f.path }
  const pointer = lfsPointer(f.etag, f.size)
  return { type: 'file', oid: gitBlobSha1(pointer), size: f.size, path: f.path, lfs: { oid: f.etag, size: f.size, pointerSize: Buffer.byteLength(pointer) } }
}

/** Every file and folder, sorted by path. A folder's oid is not git's tree hash, but it changes with its content. */
export function allEntries(files: CachedFile[]): Entry[] {
  const dirs = new Map<string, ReturnType<typeof createHash>>()
  const entries: Entry[] = []
  for (const f of files) {
    entries.push(fileEntry(f))
    const parts = f.path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!dirs.has(dir)) dirs.set(dir, createHash('sha1').update(`tree ${dir}\n`))
      dirs.get(dir)?.update(`${f.etag} ${f.path}\n`)
    }
  }
  for (const [dir, hash] of dirs) entries.push({ type: 'directory', oid: hash.digest('hex'), size: 0, path: dir })
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** The entries under folder `dir` ('' for the root), or undefined when it is no folder of the snapshot. */
export function listFolder(all: Entry[], dir: string, recursive: boolean): Entry[] | undefined {
  if (dir !== '' && !all.some((e) => e.type === 'directory' && e.path === dir)) return undefined
  const prefix = dir === '' ? '' : `${dir}/`
  return all.filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')))
}

/** paths-info: the entries for the paths that exist, in request order, each once. */
export function entriesFor(all: Entry[], paths: string[]): Entry[] {
  const byPath = new Map(all.map((e) => [e.path, e]))
  const seen = new Set<string>()
  return paths.flatMap((p) => {
    const e = byPath.get(p.replace(/\/+$/, ''))
    if (!e || seen.has(e.path)) return []
    seen.add(e.path)
    return [e]
  })
}

/** An opaque cursor, as the Hub's is: clients only hand back what the Link header gave them. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url')
}

export function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  return m ? Number(m[1]) : undefined
}

/** One page, and the offset of the next one when there is more. */
export function page<T>(items: T[], offset: number, size: number): { items: T[]; next?: number } {
  const end = offset + size
  return { items: items.slice(offset, end), next: end < items.length ? end : undefined }
}
