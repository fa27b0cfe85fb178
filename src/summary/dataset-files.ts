// A dataset repo's files grouped the ways people ask about them: by split, by data format, by top folder.
// Pure. Split names follow the datasets library's file-name conventions (train/test/validation, with its
// aliases dev/valid/eval), matched as whole words in the path.
import type { TreeFile } from '../hub/hub.js'

export interface Group {
  name: string
  files: number
  bytes: number
}

export interface DatasetFilesSummary {
  files: number
  bytes: number
  bySplit: Group[]
  byFormat: Group[]
  byFolder: (Group & { formats: string[] })[]
}

const SPLIT_ALIASES: Record<string, string> = { train: 'train', training: 'train', test: 'test', testing: 'test', validation: 'validation', valid: 'validation', val: 'validation', dev: 'validation', eval: 'validation' }
const SPLIT_WORD = new RegExp(`(?:^|[/_.-])(${Object.keys(SPLIT_ALIASES).join('|')})(?=[/_.-]|$)`, 'i')

const COMPRESSION = /\.(gz|bz2|xz|zst|zstd|lz4)$/
/** Repo bookkeeping, not data. */
const NOT_DATA = /(^|\/)(\.gitattributes|\.gitignore|README\.md|LICENSE(\.\w+)?|dataset_infos?\.json)$/i

export function dataFormat(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const compression = COMPRESSION.exec(name)?.[1]
  const bare = compression ? name.slice(0, -compression.length - 1) : name
  const dot = bare.lastIndexOf('.')
  const ext = dot > 0 ? bare.slice(dot + 1) : '(none)'
  return compression ? `${ext}.${compression}` : ext
}

export function splitOf(path: string): string | undefined {
  const m = SPLIT_WORD.exec(path)
  return m ? SPLIT_ALIASES[m[1]!.toLowerCase()] : undefined
}

function add(map: Map<string, Group>, name: string, size: number): Group {
  const g = map.get(name) ?? { name, files: 0, bytes: 0 }
  g.files++
  g.bytes += size
  map.set(name, g)
  return g
}

const bySize = (a: Group, b: Group) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)

export function summarizeDatasetFiles(files: TreeFile[]): DatasetFilesSummary {
  const data = files.filter((f) => !NOT_DATA.test(f.path))
  const splits = new Map<string, Group>()
  const formats = new Map<string, Group>()
  const folders = new Map<string, Group>()
  const folderFormats = new Map<string, Set<string>>()
  for (const f of data) {
    const format = dataFormat(f.path)
    add(splits, splitOf(f.path) ?? '(no split)', f.size)
    add(formats, format, f.size)
    const slash = f.path.indexOf('/')
    const folder = slash < 0 ? '.' : `${f.path.slice(0, slash)}/`
    add(folders, folder, f.size)
    folderFormats.set(folder, (folderFormats.get(folder) ?? new Set()).add(format))
  }
  return {
    files: data.length,
    bytes: data.reduce((n, f) => n + f.size, 0),
    bySplit: [...splits.values()].sort(bySize),
    byFormat: [...formats.values()].sort(bySize),
    byFolder: [...folders.values()].sort(bySize).map((g) => ({ ...g, formats: [...folderFormats.get(g.name)!].sort() })),
  }
}
