// summarizeRepo(): what a repo holds, from the API, config.json and the weights' own headers, read with small
// Range requests. Bad data in one file becomes a note and the rest of the summary stays correct; only a
// failure to reach the repo at all (not found, bad token, network down) is an error.
import { GatedRepoError, HfxError, InterruptedError } from '../errors.js'
import { collectTree } from '../hub/collect-tree.js'
import type { ApiModelFacts, Hub, ReadMeter, TreeFile } from '../hub/hub.js'
import type { RepoRef, RepoType } from '../repo/repo-ref.js'
import { summarizeCard, type CardSummary } from './card.js'
import { summarizeConfig, type ArchitectureSummary } from './config.js'
import { summarizeDatasetFiles, type DatasetFilesSummary } from './dataset-files.js'
import { readGgufFile } from './gguf-file.js'
import { summarizeKv, type KvCacheSummary } from './kv-bytes.js'
import { kvModel } from './kv-model.js'
import type { GgufFileSummary } from './gguf-summary.js'
import { mapLimit } from '../map-limit.js'
import { groupVariants, type VariantSet } from '../select/quant-variants.js'
import { ParamsTally, type ParamsSummary } from './params.js'
import { pickSafetensorsSet, shardsFromIndex, summarizeFiles, type FilesSummary } from './repo-files.js'
import { readRepoJson } from './repo-json-file.js'
import { DEFAULT_FIRST_READ, firstReadFor, HeaderBudget, HeaderBudgetError, readSafetensorsHeader } from './safetensors-header.js'

/** Shards read at once: enough to hide latency, few enough to stay polite to the CDN. */
const HEADER_CONCURRENCY = 16
/** Each GGUF read is up to a few 2 MB chunks. */
const GGUF_CONCURRENCY = 4
const MAX_CONFIG_BYTES = 10_000_000
/** Index files of the largest MoEs reach tens of MB; past this the tree's file names are enough. */
const MAX_INDEX_BYTES = 64_000_000

export interface RepoSection {
  id: string
  type: RepoType
  revision: string
  commit: string
  gated: false | 'auto' | 'manual'
  private: boolean
  library?: string
  pipeline?: string
  tags: string[]
  lastModified?: string
}

export interface SafetensorsSummary {
  /** Shards whose headers make up the counts, and how many of them could be read. */
  shards: number
  shardsRead: number
  /** Bytes of the shard files as listed (headers included). */
  fileBytes: number
  index?: string
  /** Declared by the index (metadata.total_size); should equal params.tensorBytes. */
  indexTotalSize?: number
  params?: ParamsSummary
  /** .safetensors files not counted: another copy of the weights, or another component. */
  notCounted: string[]
}

export interface RepoSummary {
  repo: RepoSection
  card: CardSummary
  files: FilesSummary
  architecture?: ArchitectureSummary
  /** KV cache and recurrent state per sequence, from config.json (kv-model.ts). */
  kvCache?: KvCacheSummary
  /** What the Hub API says about the model when its files could not be read (gated without access). */
  hubApi?: ApiModelFacts
  safetensors?: SafetensorsSummary
  gguf?: GgufFileSummary[]
  /** Each quantization (GGUF) or precision folder, split files summed: what `hfx pull org/name:TAG` takes. */
  variants?: VariantSet
  dataset?: DatasetFilesSummary
  notes: string[]
  /** Body bytes of repo files fetched to build this (config, index, headers); the API listing not included. */
  bytesRead: number
  /** File requests sent (HEADs to resolve and ranged GETs). */
  requests: number
}

/** Collects per-file problems as notes; a gated repo's many 401s become a single note. */
class Notes {
  readonly list: string[] = []
  gated?: GatedRepoError

  add(what: string, err: unknown): void {
    if (err instanceof InterruptedError) throw err
    if (err instanceof GatedRepoError) {
      this.gated ??= err
      return
    }
    if (!(err instanceof HfxError)) throw err // a bug: let the CLI edge report it as one
    this.list.push(err.message.startsWith(what) ? err.message : `${what}: ${err.message}`)
  }
}

export async function summarizeRepo(hub: Hub, ref: RepoRef): Promise<RepoSummary> {
  const info = await hub.resolveRevision(ref)
  // info writes nothing: files with unsafe paths are counted and named (files.unsafe, notes), never read.
  const listed = await collectTree(hub, ref, info.commit, { keepUnsafe: true })
  const files = listed.filter((f) => !f.unsafe)
  const meter: ReadMeter = { bytes: 0, requests: 0 }
  const notes = new Notes()
  const summary: RepoSummary = {
    repo: {
      id: info.id,
      type: ref.type,
      revision: info.revision,
      commit: info.commit,
      gated: info.gated,
      private: info.private,
      library: info.libraryName,
      pipeline: info.pipelineTag,
      tags: info.tags,
      lastModified: info.lastModified,
    },
    card: cardWithLicense(info.cardData, info.tags),
    files: summarizeFiles(listed),
    notes: notes.list,
    bytesRead: 0,
    requests: 0,
  }
  for (const u of summary.files.unsafe ?? []) notes.list.push(`UNSAFE ${u.path}: ${u.reason}`)
  if (ref.type === 'dataset') {
    summary.dataset = summarizeDatasetFiles(files)
  } else if (ref.type === 'model') {
    const ctx = { hub, ref, commit: info.commit, files, meter, notes }
    // From the listing alone, so a gated repo shows its variants too.
    const variants = groupVariants(files)
    if (variants.variants.length) summary.variants = variants
    const config = await readConfig(ctx)
    if (config) {
      summary.architecture = summarizeConfig(config)
      const arch = summary.architecture.text ?? summary.architecture
      summary.kvCache = summarizeKv(kvModel(config), arch.context?.maxPositions ?? summary.architecture.context?.maxPositions)
    }
    // Without access to config.json there is none to the weights either: skip the reads that would 401.
    if (!notes.gated) {
      summary.safetensors = await readSafetensors(ctx, summary.architecture)
      summary.gguf = await readGgufFiles(ctx)
      const unread = summary.files.weightFormats.filter((w) => w.format !== 'safetensors' && w.format !== 'gguf')
      if (!summary.safetensors && !summary.gguf && unread.length) {
        // Pickle (.bin/.pt) and ONNX files have no header that can be read by Range without parsing code.
        notes.list.push(`weights are ${unread.map((w) => w.format).join(', ')} only: parameter counts come from safetensors or GGUF headers, which this repo does not have`)
      }
    }
  }
  if (notes.gated && info.model) summary.hubApi = info.model
  if (notes.gated) {
    // The Hub lists a gated repo's files to anyone; their contents need accepted terms.
    notes.list.unshift(`${notes.gated.message} config.json and the weight headers could not be read; showing what the API gives. ${notes.gated.hint ?? ''}`.trim())
  }
  summary.bytesRead = meter.bytes
  summary.requests = meter.requests
  return summary
}

interface ReadContext {
  hub: Hub
  ref: RepoRef
  commit: string
  files: TreeFile[]
  meter: ReadMeter
  notes: Notes
}

/** The card's license, else the `license:` tag the Hub derives from it (or from a LICENSE file). */
function cardWithLicense(cardData: Record<string, unknown>, tags: string[]): CardSummary {
  const card = summarizeCard(cardData)
  const tagged = tags.find((t) => t.startsWith('license:'))?.slice('license:'.length)
  if (!card.license && tagged) card.license = tagged
  return card
}

async function readConfig(c: ReadContext): Promise<Record<string, unknown> | undefined> {
  if (!c.files.some((f) => f.path === 'config.json')) {
    if (c.files.some((f) => f.path.endsWith('.safetensors'))) c.notes.list.push('no config.json: architecture unknown')
    return undefined
  }
  try {
    const config = await readRepoJson(c.hub, c.ref, c.commit, 'config.json', MAX_CONFIG_BYTES, c.meter)
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      c.notes.list.push('config.json is not a JSON object: architecture unknown')
      return undefined
    }
    return config as Record<string, unknown>
  } catch (err) {
    c.notes.add('config.json', err)
    return undefined
  }
}

async function readSafetensors(c: ReadContext, arch: ArchitectureSummary | undefined): Promise<SafetensorsSummary | undefined> {
  const set = pickSafetensorsSet(c.files)
  if (!set) return undefined
  let shards = set.shards
  // The first read's size per shard, from the index's tensor names (which are not kept: an index can be 64 MB).
  let firstReads: Map<string, number> | undefined
  let indexTotalSize: number | undefined
  if (set.index) {
    try {
      const index = await readRepoJson(c.hub, c.ref, c.commit, set.index.path, MAX_INDEX_BYTES, c.meter)
      const fromIndex = shardsFromIndex(index, set.index.path, c.files)
      if (!fromIndex) c.notes.list.push(`${set.index.path} has no weight_map; reading the shards its name implies`)
      else {
        for (const m of fromIndex.missing) c.notes.list.push(`${set.index.path} names ${m}, which is not in the repo`)
        if (fromIndex.shards.length) shards = fromIndex.shards
        firstReads = new Map([...fromIndex.tensorsByShard].map(([path, names]) => [path, firstReadFor(names)]))
        indexTotalSize = fromIndex.totalSize
      }
    } catch (err) {
      c.notes.add(set.index.path, err)
    }
  }
  const shardSet = new Set(shards)
  const moe = arch?.moe ?? arch?.text?.moe
  const lm = arch?.text ?? arch
  // Each header is counted as it arrives and then dropped: only the tally stays (params.ts).
  const tally = new ParamsTally({
    quantization: arch?.quantization,
    routedExperts: moe?.routedExperts,
    expertsPerToken: moe?.expertsPerToken,
    mtpFirstLayer: lm?.mtpLayers ? lm.layers : undefined,
  })
  const budget = new HeaderBudget()
  let read = 0
  let overBudget = 0
  await mapLimit(shards, HEADER_CONCURRENCY, async (f) => {
    try {
      tally.add((await readSafetensorsHeader(c.hub, c.ref, c.commit, f, firstReads?.get(f.path) ?? DEFAULT_FIRST_READ, c.meter, budget)).tensors)
      read++
    } catch (err) {
      if (err instanceof HeaderBudgetError) overBudget++
      else c.notes.add(f.path, err)
    }
  })
  if (overBudget) {
    c.notes.list.push(
      `${overBudget} safetensors ${overBudget === 1 ? 'file was' : 'files were'} not read: the repo's headers would pass ${budget.max / 1e6} MB, far more than any real checkpoint's (about 12 MB for DeepSeek-V3)`,
    )
  }
  const s: SafetensorsSummary = {
    shards: shards.length,
    shardsRead: read,
    fileBytes: shards.reduce((n, f) => n + f.size, 0),
    index: set.index?.path,
    indexTotalSize,
    params: read ? tally.summary() : undefined,
    notCounted: c.files.filter((f) => f.path.endsWith('.safetensors') && !shardSet.has(f)).map((f) => f.path),
  }
  if (read && read < shards.length) {
    c.notes.list.push(`parameter counts cover ${read} of ${shards.length} safetensors files`)
  }
  if (s.params && indexTotalSize !== undefined && read === shards.length && indexTotalSize !== s.params.tensorBytes) {
    c.notes.list.push(`${set.index!.path} declares total_size ${indexTotalSize}, but the headers add up to ${s.params.tensorBytes} bytes`)
  }
  for (const k of Object.keys(s) as (keyof SafetensorsSummary)[]) if (s[k] === undefined) delete s[k]
  return s
}

async function readGgufFiles(c: ReadContext): Promise<GgufFileSummary[] | undefined> {
  const files = c.files.filter((f) => f.path.endsWith('.gguf'))
  if (files.length === 0) return undefined
  const out = await mapLimit(files, GGUF_CONCURRENCY, async (f) => {
    try {
      return await readGgufFile(c.hub, c.ref, c.commit, f, c.meter)
    } catch (err) {
      // @huggingface/gguf throws plain Errors for malformed files: they are bad data, not hfx bugs.
      if (err instanceof HfxError || err instanceof InterruptedError) c.notes.add(f.path, err)
      else c.notes.list.push(`${f.path}: not a readable GGUF file (${(err as Error).message})`)
      return { path: f.path, size: f.size }
    }
  })
  return out
}
