// What a repo's file listing says before any file is read: sizes by kind, which weight formats it ships,
// and which safetensors files make up the model (a repo may hold more than one copy). Pure.
import type { TreeFile } from '../hub/hub.js'
import { pullRefusal } from '../repo/safe-path.js'

export type WeightFormat = 'safetensors' | 'gguf' | 'pytorch' | 'onnx' | 'tensorflow' | 'flax' | 'mlx'
export type FileKind = 'weights' | 'tokenizer' | 'other'

export interface FormatCount {
  format: WeightFormat
  files: number
  bytes: number
}

export interface FilesSummary {
  files: number
  bytes: number
  byKind: Record<FileKind, { files: number; bytes: number }>
  weightFormats: FormatCount[]
  /** Files hfx pull refuses to write (safe-path.ts), by full path; absent when there are none. */
  unsafe?: { path: string; reason: string }[]
}

const WEIGHT_EXTENSIONS: [RegExp, WeightFormat][] = [
  [/\.safetensors$/, 'safetensors'],
  [/\.gguf$/, 'gguf'],
  [/\.(pt|pth|ckpt)$/, 'pytorch'],
  // .bin is also used for pickled training state, which holds no weights.
  [/^(?!training_args\.bin$|optimizer\.bin$|scheduler\.bin$|rng_state).*\.bin$/, 'pytorch'],
  [/\.(onnx|onnx_data|onnx\.data)$/, 'onnx'],
  [/\.(h5|tflite)$/, 'tensorflow'],
  [/\.msgpack$/, 'flax'],
  [/\.npz$/, 'mlx'],
]

const TOKENIZER_FILE =
  /^(tokenizer\.json|tokenizer_config\.json|tokenizer\.model|special_tokens_map\.json|added_tokens\.json|vocab\.(json|txt)|merges\.txt|spiece\.model|sentencepiece\.bpe\.model|chat_template\.(jinja|json)|.*\.tiktoken)$/

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function dirName(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

export function weightFormat(path: string): WeightFormat | undefined {
  const name = baseName(path)
  return WEIGHT_EXTENSIONS.find(([re]) => re.test(name))?.[1]
}

export function fileKind(path: string): FileKind {
  if (weightFormat(path)) return 'weights'
  return TOKENIZER_FILE.test(baseName(path)) ? 'tokenizer' : 'other'
}

export function summarizeFiles(files: TreeFile[]): FilesSummary {
  const byKind: FilesSummary['byKind'] = { weights: { files: 0, bytes: 0 }, tokenizer: { files: 0, bytes: 0 }, other: { files: 0, bytes: 0 } }
  const formats = new Map<WeightFormat, FormatCount>()
  let bytes = 0
  for (const f of files) {
    bytes += f.size
    const k = byKind[fileKind(f.path)]
    k.files++
    k.bytes += f.size
    const format = weightFormat(f.path)
    if (format) {
      const c = formats.get(format) ?? { format, files: 0, bytes: 0 }
      c.files++
      c.bytes += f.size
      formats.set(format, c)
    }
  }
  const unsafe = files.flatMap((f) => {
    const reason = pullRefusal(f.path)
    return reason ? [{ path: f.path, reason }] : []
  })
  return {
    files: files.length,
    bytes,
    byKind,
    weightFormats: [...formats.values()].sort((a, b) => b.bytes - a.bytes),
    ...(unsafe.length ? { unsafe } : {}),
  }
}

export interface SafetensorsSet {
  /** The index that names the shards, when there is one. */
  index?: TreeFile
  /** The model's shards as the file names say; the index's weight_map, once read, has the last word. */
  shards: TreeFile[]
  /** .safetensors files outside the set: another copy (consolidated.safetensors) or another component. */
  others: TreeFile[]
}

/** diffusers keeps the main model (the one a model page sizes) in one of these folders. */
const DIFFUSERS_MAIN = ['transformer', 'unet']

/**
 * Picks the folder (root first, then diffusers' main module, then the biggest) and, in it, the files of one
 * checkpoint: the shards named after the index (`model.safetensors.index.json` → `model-0000N-of-…`), else
 * `model.safetensors`, else every .safetensors file there.
 */
export function pickSafetensorsSet(files: TreeFile[]): SafetensorsSet | undefined {
  const all = files.filter((f) => f.path.endsWith('.safetensors'))
  if (all.length === 0) return undefined
  const byDir = new Map<string, TreeFile[]>()
  for (const f of all) byDir.set(dirName(f.path), [...(byDir.get(dirName(f.path)) ?? []), f])
  const dirBytes = (d: string) => (byDir.get(d) ?? []).reduce((n, f) => n + f.size, 0)
  const dir = byDir.has('')
    ? ''
    : (DIFFUSERS_MAIN.find((d) => byDir.has(d)) ?? [...byDir.keys()].sort((a, b) => dirBytes(b) - dirBytes(a))[0]!)
  const inDir = byDir.get(dir)!
  const indexes = files.filter((f) => dirName(f.path) === dir && f.path.endsWith('.safetensors.index.json'))
  const index = indexes.find((f) => /(^|\/)(model|diffusion_pytorch_model)\.safetensors\.index\.json$/.test(f.path)) ?? indexes[0]
  let shards: TreeFile[]
  if (index) {
    const prefix = baseName(index.path).slice(0, -'.safetensors.index.json'.length)
    shards = inDir.filter((f) => {
      const name = baseName(f.path)
      return name === `${prefix}.safetensors` || (name.startsWith(prefix) && /-\d{5,6}-of-\d{5,6}\.safetensors$/.test(name))
    })
    if (shards.length === 0) shards = inDir
  } else {
    const single = inDir.filter((f) => /^(model|diffusion_pytorch_model)\.safetensors$/.test(baseName(f.path)))
    shards = single.length ? single : inDir
  }
  const chosen = new Set(shards)
  return { index, shards, others: all.filter((f) => !chosen.has(f)) }
}

/**
 * The shards an index's weight_map names, and how many tensors each holds (to size the first header read).
 * Names are relative to the index's folder; names the tree does not list are returned as missing.
 */
export function shardsFromIndex(
  index: unknown,
  indexPath: string,
  files: TreeFile[],
): { shards: TreeFile[]; tensorsByShard: Map<string, string[]>; missing: string[]; totalSize?: number } | undefined {
  if (typeof index !== 'object' || index === null) return undefined
  const weightMap = (index as { weight_map?: unknown }).weight_map
  if (typeof weightMap !== 'object' || weightMap === null) return undefined
  const dir = dirName(indexPath)
  const byPath = new Map(files.map((f) => [f.path, f]))
  const tensorsByShard = new Map<string, string[]>()
  for (const [tensor, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof shard !== 'string') continue
    const path = dir ? `${dir}/${shard}` : shard
    const list = tensorsByShard.get(path)
    if (list) list.push(tensor)
    else tensorsByShard.set(path, [tensor])
  }
  const shards: TreeFile[] = []
  const missing: string[] = []
  for (const path of tensorsByShard.keys()) {
    const f = byPath.get(path)
    if (f) shards.push(f)
    else missing.push(path)
  }
  const total = (index as { metadata?: { total_size?: unknown } }).metadata?.total_size
  const totalSize = typeof total === 'number' ? total : typeof total === 'string' && /^\d+$/.test(total) ? Number(total) : undefined
  return { shards: shards.sort((a, b) => (a.path < b.path ? -1 : 1)), tensorsByShard, missing, totalSize }
}
