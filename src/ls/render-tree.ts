// Pure rendering of a repo listing: a tree (folders first, each with its total), a flat list, or a long table.
import { formatBytes, formatCount } from '../format.js'
import type { TreeFile } from '../hub/hub.js'

interface Folder {
  name: string
  folders: Map<string, Folder>
  files: TreeFile[]
  bytes: number
  count: number
}

function newFolder(name: string): Folder {
  return { name, folders: new Map(), files: [], bytes: 0, count: 0 }
}

export function storageKind(f: TreeFile): 'xet' | 'lfs' | 'git' {
  return f.xetHash ? 'xet' : f.lfs ? 'lfs' : 'git'
}

/** The hash hfx verifies a file with: sha256 for LFS/Xet files, git blob sha1 for the rest. */
export function contentHash(f: TreeFile): string {
  return f.lfs?.oid ?? f.oid
}

export function totals(files: TreeFile[]): { files: number; bytes: number } {
  return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) }
}

function buildTree(files: TreeFile[], base: string): Folder {
  const root = newFolder('')
  for (const f of files) {
    const rel = base && f.path.startsWith(`${base}/`) ? f.path.slice(base.length + 1) : f.path
    const parts = rel.split('/')
    let node = root
    node.bytes += f.size
    node.count++
    for (const dir of parts.slice(0, -1)) {
      let child = node.folders.get(dir)
      if (!child) node.folders.set(dir, (child = newFolder(dir)))
      child.bytes += f.size
      child.count++
      node = child
    }
    node.files.push(f)
  }
  return root
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Tree lines: [label, marker, size]; the caller aligns the columns. */
function treeRows(folder: Folder, prefix: string, rows: string[][]): void {
  const folders = [...folder.folders.values()].sort((a, b) => byName(a.name, b.name))
  const files = [...folder.files].sort((a, b) => byName(a.path, b.path))
  const total = folders.length + files.length
  let i = 0
  for (const sub of folders) {
    const last = ++i === total
    rows.push([`${prefix}${last ? '└── ' : '├── '}${sub.name}/`, '', formatBytes(sub.bytes)])
    treeRows(sub, prefix + (last ? '    ' : '│   '), rows)
  }
  for (const f of files) {
    const last = ++i === total
    const marker = storageKind(f) === 'git' ? '' : storageKind(f).toUpperCase()
    rows.push([`${prefix}${last ? '└── ' : '├── '}${f.path.split('/').pop()}`, marker, formatBytes(f.size)])
  }
}

export function renderTree(files: TreeFile[], base = ''): string[] {
  const rows: string[][] = []
  treeRows(buildTree(files, base), '', rows)
  const w0 = Math.max(0, ...rows.map((r) => [...r[0]].length))
  const w2 = Math.max(0, ...rows.map((r) => r[2].length))
  return rows.map(([label, marker, size]) =>
    `${label.padEnd(w0 + (label.length - [...label].length))}  ${size.padStart(w2)}  ${marker}`.trimEnd(),
  )
}

export function renderLong(files: TreeFile[]): string[] {
  const w = Math.max(1, ...files.map((f) => String(f.size).length))
  return [...files]
    .sort((a, b) => byName(a.path, b.path))
    .map((f) => `${String(f.size).padStart(w)}  ${storageKind(f).padEnd(3)}  ${contentHash(f).padEnd(64)}  ${f.path}`)
}

/** The marker that starts the line of each file hfx pull refuses to write. */
export const UNSAFE_MARKER = 'UNSAFE'

/**
 * Files a pull refuses to write, one a line, by full path and with the reason. They are never drawn in the
 * tree, where a name such as `../x` or `a//b` would pose as a folder of other files.
 */
export function renderUnsafe(entries: { file: TreeFile; reason: string }[]): string[] {
  return [...entries]
    .sort((a, b) => byName(a.file.path, b.file.path))
    .map(({ file, reason }) => `${UNSAFE_MARKER} ${file.path} (${formatBytes(file.size)}): ${reason}`)
}

export function renderTotals(files: TreeFile[]): string {
  const t = totals(files)
  return `${formatCount(t.files)} file${t.files === 1 ? '' : 's'}, ${formatBytes(t.bytes)} (${formatCount(t.bytes)} bytes)`
}
