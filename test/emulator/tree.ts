// Tree entries as the Hub's tree and paths-info endpoints return them, and cursor pagination.
import { createHash } from 'node:crypto'
import type { Blob, Commit } from './repos.js'

export interface FileEntry {
  type: 'file'
  oid: string
  size: number
  path: string
  lfs?: { oid: string; size: number; pointerSize: number }
  lastCommit?: { id: string; title: string; date: string }
}
export interface DirEntry {
  type: 'directory'
  oid: string
  size: 0
  path: string
  lastCommit?: { id: string; title: string; date: string }
}
export type TreeEntry = FileEntry | DirEntry

function fileEntry(path: string, blob: Blob): FileEntry {
  const entry: FileEntry = { type: 'file', oid: blob.oid, size: blob.size, path }
  if (blob.lfs) entry.lfs = { oid: blob.sha256, size: blob.size, pointerSize: blob.pointer!.length }
  return entry
}

function dirOid(files: ReadonlyMap<string, Blob>, dir: string): string {
  // Not git's tree hash, but stable and it changes whenever anything below the directory changes.
  const hash = createHash('sha1').update(`tree ${dir}\n`)
  for (const [path, blob] of files) if (path.startsWith(`${dir}/`)) hash.update(`${blob.oid} ${path}\n`)
  return hash.digest('hex')
}

/** Every file and directory of a commit, sorted by path. */
export function allEntries(commit: Commit): TreeEntry[] {
  const dirs = new Set<string>()
  const entries: TreeEntry[] = []
  for (const [path, blob] of commit.files) {
    entries.push(fileEntry(path, blob))
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  for (const dir of dirs) entries.push({ type: 'directory', oid: dirOid(commit.files, dir), size: 0, path: dir })
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/**
 * The entries under `dir` ('' for the root): direct children, or everything below when recursive.
 * Undefined when `dir` is not a directory of the commit.
 */
export function listDirectory(commit: Commit, dir: string, recursive: boolean): TreeEntry[] | undefined {
  const all = allEntries(commit)
  if (dir !== '' && !all.some((e) => e.type === 'directory' && e.path === dir)) return undefined
  const prefix = dir === '' ? '' : `${dir}/`
  return all.filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')))
}

/** paths-info: the entries for the paths that exist, in request order. */
export function entriesFor(commit: Commit, paths: string[]): TreeEntry[] {
  const byPath = new Map(allEntries(commit).map((e) => [e.path, e]))
  const seen = new Set<string>()
  const found: TreeEntry[] = []
  for (const p of paths) {
    const entry = byPath.get(p.replace(/\/+$/, ''))
    if (entry && !seen.has(entry.path)) {
      seen.add(entry.path)
      found.push(entry)
    }
  }
  return found
}

export function withLastCommit(entries: TreeEntry[], commit: Commit): TreeEntry[] {
  // expand=true adds lastCommit; the emulator keeps no history, so the listed commit stands in for it.
  const lastCommit = { id: commit.sha, title: commit.message, date: commit.date.toISOString() }
  return entries.map((e) => ({ ...e, lastCommit }))
}

// Cursors are opaque to clients (the Hub's are base64 too); ours just carry the next offset.
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url')
}

export function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  return m ? Number(m[1]) : undefined
}
