// The weight variants of one repo: each quantization of a GGUF repo (as llama.cpp and ollama name them:
// Q4_K_M, IQ2_XXS, UD-Q4_K_XL, BF16…), split files summed, and safetensors sets kept in folders named like
// a precision (BF16/, FP8/). Pure, from the listed files; `hfx info` lists them and `hfx pull org/name:TAG`
// or `--fit` picks one. It sits below pull/ and summary/ because both use it.

export interface WeightVariant {
  /** Upper-case, as llama.cpp prints it: Q4_K_M, UD-Q4_K_XL; an unrecognised GGUF keeps its file stem. */
  name: string
  files: string[]
  totalBytes: number
}

export interface VariantSet {
  /** Smallest first. */
  variants: WeightVariant[]
  /** Vision projectors (mmproj-*.gguf): one serves every quantization, so none belongs to a variant. */
  extras: string[]
}

/**
 * llama.cpp's quantization names, whole tokens only: a Q-type needs at least one `_part`, so a model name
 * such as `Qwen3` or `Q4` alone is never read as one. Compared case-insensitively (`model-q4_k_m.gguf`).
 */
const QUANT_TOKEN = /^(?:I?Q[1-8](?:_[0-9A-Z]+)+|TQ[12]_0|BF16|F16|F32|FP16|FP32|FP8|MXFP4(?:_MOE)?)$/i
/** `-00001-of-00003` before `.gguf`: llama.cpp's gguf-split naming. */
const SPLIT_SUFFIX = /-\d{5}-of-\d{5}$/
const MMPROJ = /(^|[-_.])mmproj([-_.]|$)/i

/** The quantization a path names: in the file name (last token wins), else in its nearest folder. */
export function quantName(path: string): string | undefined {
  const parts = path.split('/')
  const stem = parts[parts.length - 1].replace(/\.(gguf|safetensors)$/i, '').replace(SPLIT_SUFFIX, '')
  for (const segment of [stem, ...parts.slice(0, -1).reverse()]) {
    const tokens = segment.split(/[-.]/)
    for (let i = tokens.length - 1; i >= 0; i--) {
      if (!QUANT_TOKEN.test(tokens[i])) continue
      // unsloth's dynamic quants: UD-Q4_K_XL is not the same file as Q4_K_XL.
      const ud = i > 0 && tokens[i - 1].toUpperCase() === 'UD'
      return `${ud ? 'UD-' : ''}${tokens[i].toUpperCase()}`
    }
  }
  return undefined
}

export function groupVariants(files: readonly { path: string; size: number }[]): VariantSet {
  const byName = new Map<string, WeightVariant>()
  const extras: string[] = []
  const add = (name: string, f: { path: string; size: number }) => {
    const v = byName.get(name) ?? { name, files: [], totalBytes: 0 }
    v.files.push(f.path)
    v.totalBytes += f.size
    byName.set(name, v)
  }
  const folderVariants = safetensorsFolders(files)
  for (const f of files) {
    const base = f.path.split('/').pop() ?? f.path
    const folder = f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : undefined
    if (folder !== undefined && folderVariants.has(folder)) add(folderVariants.get(folder)!, f)
    else if (!/\.gguf$/i.test(base)) continue
    else if (MMPROJ.test(base)) extras.push(f.path)
    else add(quantName(f.path) ?? base.replace(/\.gguf$/i, '').replace(SPLIT_SUFFIX, ''), f)
  }
  const variants = [...byName.values()].sort((a, b) => a.totalBytes - b.totalBytes || a.name.localeCompare(b.name))
  for (const v of variants) v.files.sort()
  return { variants, extras: extras.sort() }
}

/**
 * Top-level folders holding safetensors and named like a precision (BF16/, FP8/, Q4_K_M/): each is a variant
 * with all its files, since such a folder carries its own config. Root-level safetensors are the repo's
 * main weights, not a variant.
 */
function safetensorsFolders(files: readonly { path: string }[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const f of files) {
    const slash = f.path.indexOf('/')
    if (slash < 0 || !/\.safetensors$/i.test(f.path)) continue
    const folder = f.path.slice(0, slash)
    const name = quantName(`${folder}/x`)
    if (name && QUANT_TOKEN.test(folder.replace(/^UD-/i, ''))) out.set(folder, name)
  }
  return out
}

/** The variant a `:TAG` names, compared case-insensitively as ollama does (`:q4_k_m` is Q4_K_M). */
export function findVariant(set: VariantSet, tag: string): WeightVariant | undefined {
  const wanted = tag.toUpperCase()
  return set.variants.find((v) => v.name.toUpperCase() === wanted)
}
