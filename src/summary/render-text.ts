// RepoSummary → the screenful `hfx info` prints: sections of aligned label/value rows, human units, long
// lists cut with "… N more" so a 160-shard repo still fits. Pure; --json carries everything uncut. Much of it
// is server text (ids, tags, card fields, config strings, GGUF metadata, paths): every line is passed
// through escapeControls, so none of it reaches the terminal as a control sequence.
import { escapeControls } from '../escape-controls.js'
import { formatBytes, formatCount, formatMemory, formatParams, plural } from '../format.js'
import type { ApiModelFacts } from '../hub/hub.js'
import { kvRows } from './render-kv.js'
import { fitRows, fitTitle } from './render-fit.js'
import type { RepoFit, VariantFit } from './fit-repo.js'
import type { ArchitectureSummary, QuantizationSummary } from './config.js'
import type { GgufFileSummary } from './gguf-summary.js'
import type { ParamsSummary } from './params.js'
import type { VariantSet } from '../select/quant-variants.js'
import type { RepoSummary, SafetensorsSummary } from './summarize-repo.js'
import type { DatasetFilesSummary, Group } from './dataset-files.js'

type Row = [label: string, value: string]
interface Section {
  title: string
  rows: Row[]
}

const MAX_TAGS = 8
const MAX_GROUPS = 8
const MAX_GGUF = 12
const MAX_NOTES = 10

function joinDefined(parts: (string | number | undefined | false)[], sep = ' · '): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(sep)
}


/** Two significant digits, so 0.0034% does not print as 0.00%; below 0.001% the digits stop mattering. */
function percent(ratio: number): string {
  const p = ratio * 100
  return p < 0.001 ? '<0.001%' : `${Number(p.toPrecision(2))}%`
}

function cut(items: string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, … ${items.length - max} more` : items.join(', ')
}

/** `fit`: the answer to --fit, shown after what it was computed from. */
export function renderText(s: RepoSummary, fit?: RepoFit): string[] {
  const sections: Section[] = [repoSection(s)]
  if (s.hubApi) sections.push(hubApiSection(s.hubApi))
  if (s.architecture && Object.keys(s.architecture).length) sections.push(...architectureSections(s.architecture))
  if (s.kvCache) sections.push({ title: 'KV cache (one sequence, from config.json)', rows: kvRows(s.kvCache) })
  if (s.safetensors) sections.push(safetensorsSection(s.safetensors))
  if (s.variants) sections.push(variantsSection(s.variants, fit?.variants))
  if (s.gguf?.length) sections.push(ggufSection(s.gguf))
  if (s.dataset) sections.push(...datasetSections(s.dataset))
  if (fit) sections.push({ title: fitTitle(fit), rows: fitRows(fit, s.repo.id) })
  const width = Math.max(...sections.flatMap((sec) => sec.rows.map(([label]) => label.length)))
  const lines: string[] = []
  const head = s.repo.type === 'model' ? s.repo.id : `${s.repo.type}s/${s.repo.id}`
  lines.push(`${head}  ${s.repo.revision} → ${s.repo.commit}`)
  for (const sec of sections) {
    if (sec.rows.length === 0) continue
    if (sec.title) lines.push('', sec.title)
    for (const [label, value] of sec.rows) lines.push(`  ${label.padEnd(width)}  ${value}`)
  }
  if (s.notes.length) {
    lines.push('', 'Notes')
    for (const n of s.notes.slice(0, MAX_NOTES)) lines.push(`  ! ${n}`)
    if (s.notes.length > MAX_NOTES) lines.push(`  … ${s.notes.length - MAX_NOTES} more (see --json)`)
  }
  const weights = s.files.byKind.weights.bytes
  const share = weights > 0 && s.bytesRead > 0 ? ` (${percent(s.bytesRead / weights)} of the weights)` : ''
  lines.push('', `Read ${formatBytes(s.bytesRead)}${share} in ${plural(s.requests, 'file request')} to build this.`)
  return lines.map(escapeControls)
}

function repoSection(s: RepoSummary): Section {
  const r = s.repo
  const rows: Row[] = []
  const access = joinDefined([r.private && 'private', r.gated && `gated (${r.gated} approval)`], ', ')
  if (access) rows.push(['Access', access])
  if (s.card.license) rows.push(['License', s.card.license])
  const lib = joinDefined([r.library, r.pipeline])
  if (lib) rows.push(['Library', lib])
  if (s.card.baseModel) rows.push(['Base model', cut(s.card.baseModel, 3)])
  if (s.card.prettyName) rows.push(['Name', s.card.prettyName])
  if (s.card.taskCategories) rows.push(['Tasks', cut(s.card.taskCategories, MAX_TAGS)])
  if (s.card.language) rows.push(['Language', cut(s.card.language, MAX_TAGS)])
  if (s.card.sizeCategories) rows.push(['Size category', s.card.sizeCategories.join(', ')])
  if (s.card.configs) rows.push(['Configs', cut(s.card.configs.map((c) => (c.splits.length ? `${c.name} (${c.splits.join('/')})` : c.name)), 6)])
  // The Hub mirrors card fields into tags (license:…, base_model:…); those are shown above already.
  const tags = r.tags.filter((t) => !/^(license|base_model|region|dataset|arxiv|doi):/.test(t))
  if (tags.length) rows.push(['Tags', cut(tags, MAX_TAGS)])
  const f = s.files
  const kinds = s.repo.type === 'model'
    ? ` (${joinDefined([
        f.byKind.weights.files && `weights ${formatBytes(f.byKind.weights.bytes)}`,
        f.byKind.tokenizer.files && `tokenizer ${formatBytes(f.byKind.tokenizer.bytes)}`,
        f.byKind.other.files && `other ${formatBytes(f.byKind.other.bytes)}`,
      ])})`
    : ''
  rows.push(['Files', `${plural(f.files, 'file')}, ${formatBytes(f.bytes)}${kinds}`])
  if (f.weightFormats.length) {
    rows.push(['Formats', f.weightFormats.map((w) => `${w.format} ${plural(w.files, 'file')} ${formatBytes(w.bytes)}`).join(' · ')])
  }
  return { title: '', rows }
}

function architectureSections(a: ArchitectureSummary): Section[] {
  const out: Section[] = [{ title: 'Architecture (config.json)', rows: architectureRows(a) }]
  if (a.text) out.push({ title: 'Text model (text_config)', rows: architectureRows(a.text) })
  if (a.vision) out.push({ title: 'Vision model (vision_config)', rows: architectureRows(a.vision) })
  return out
}

function num(n: number | undefined): string | undefined {
  return n === undefined ? undefined : formatCount(n)
}

function architectureRows(a: ArchitectureSummary): Row[] {
  const rows: Row[] = []
  const name = joinDefined([a.architectures?.join(', '), a.modelType && `(${a.modelType})`], ' ')
  if (name) rows.push(['Model', name])
  if (a.layers) {
    const split = a.moe?.moeLayers !== undefined && a.moe.denseLayers ? ` (${a.moe.denseLayers} dense, ${a.moe.moeLayers} MoE)` : ''
    rows.push(['Layers', `${a.layers}${split}`])
  }
  const sizes = joinDefined([
    a.hiddenSize && `hidden ${num(a.hiddenSize)}`,
    a.intermediateSize && `intermediate ${num(a.intermediateSize)}`,
    a.moeIntermediateSize && `expert ${num(a.moeIntermediateSize)}`,
  ])
  if (sizes) rows.push(['Sizes', sizes])
  if (a.attentionHeads) {
    const kind =
      a.kvLoraRank ? 'MLA'
      : a.kvHeads === undefined ? undefined
      : a.kvHeads === a.attentionHeads ? 'MHA'
      : a.kvHeads === 1 ? 'MQA'
      : a.gqaRatio ? `GQA ${a.gqaRatio}:1`
      : 'GQA'
    rows.push([
      'Attention',
      joinDefined([
        `${a.attentionHeads} heads`,
        // MLA caches a latent instead of per-head K and V: its num_key_value_heads says nothing about the cache.
        a.kvLoraRank ? `MLA (K and V from a rank-${a.kvLoraRank} latent)` : a.kvHeads !== undefined && `${a.kvHeads} KV heads${kind ? ` (${kind})` : ''}`,
        a.headDim && `head dim ${a.headDim}${a.headDimSource === 'derived' ? ' (hidden/heads)' : ''}`,
      ], ', '),
    ])
  }
  if (a.moe) {
    const m = a.moe
    rows.push([
      'Experts',
      joinDefined([
        m.routedExperts && `${m.routedExperts} routed`,
        m.sharedExperts && `${m.sharedExperts} shared`,
        m.expertsPerToken && `${m.expertsPerToken} per token`,
      ], ', '),
    ])
  }
  if (a.vocabSize) rows.push(['Vocab', formatCount(a.vocabSize)])
  if (a.context) {
    const c = a.context
    const rope = joinDefined([c.ropeType, c.ropeFactor && `×${c.ropeFactor}`, c.originalMaxPositions && `from ${formatCount(c.originalMaxPositions)}`], ' ')
    rows.push(['Context', joinDefined([c.maxPositions && `${formatCount(c.maxPositions)} tokens`, rope && `rope ${rope}`, c.slidingWindow && `sliding window ${formatCount(c.slidingWindow)}`], ', ')])
  }
  if (a.tiedEmbeddings !== undefined) rows.push(['Embeddings', a.tiedEmbeddings ? 'tied (lm_head shares the input embedding)' : 'untied'])
  // torch_dtype is the dtype the model computes in; a quantized checkpoint's weights are stored in another.
  if (a.dtype) rows.push(['Config dtype', `${a.dtype} (torch_dtype${a.quantization ? `; weights quantized, ${a.quantization.method}` : ''})`])
  if (a.quantization) rows.push(['Quantization', quantizationText(a.quantization)])
  return rows
}

export function quantizationText(q: QuantizationSummary): string {
  return joinDefined([
    q.method,
    q.format,
    q.bits && `${q.bits}-bit`,
    q.blockSize && `block ${q.blockSize.join('×')}`,
    q.groupSize && `group ${q.groupSize}`,
    q.activationScheme && `${q.activationScheme} activations`,
    q.skipped && `not ${cut(q.skipped, 3)}`,
  ], ', ')
}

function safetensorsSection(st: SafetensorsSummary): Section {
  const rows: Row[] = []
  const what = `${plural(st.shards, 'file')}, ${formatBytes(st.fileBytes)}${st.index ? `, index ${st.index}` : ''}`
  rows.push(['Files', st.shardsRead < st.shards ? `${what} (${st.shardsRead} readable)` : what])
  if (st.params) rows.push(...paramsRows(st.params))
  if (st.notCounted.length) rows.push(['Not counted', cut(st.notCounted, 3)])
  return { title: 'Weights (safetensors headers)', rows }
}

function paramsRows(p: ParamsSummary): Row[] {
  const rows: Row[] = []
  const mtp = p.mtp && ` = ${formatParams(p.total - p.mtp.params)} + ${formatParams(p.mtp.params)} MTP ${p.mtp.layers === 1 ? 'layer' : 'layers'}`
  rows.push(['Parameters', `${formatParams(p.total)} (${formatCount(p.total)})${mtp || ''}`])
  if (p.active) {
    const mtpActive = p.mtp?.activeParams !== undefined ? ` + ${formatParams(p.mtp.activeParams)} MTP (speculative decoding only)` : ''
    rows.push(['Active', `${formatParams(p.active.params)} active per token (${p.active.expertsPerToken} of ${p.active.routedExperts} experts)${mtpActive}`])
  }
  const dtypes = Object.entries(p.byDtype).sort((a, b) => b[1] - a[1])
  if (dtypes.length) rows.push(['By dtype', dtypes.map(([d, n]) => `${d} ${formatParams(n)}`).join(' · ')])
  if (p.scales.tensors) rows.push(['Scales', `${formatCount(p.scales.tensors)} tensors, ${formatBytes(p.scales.bytes)} (not parameters)`])
  rows.push(['Tensors', `${formatCount(p.tensors)}, ${formatBytes(p.tensorBytes)} of data`])
  // As stored is what loading the checkpoint unchanged costs: quantized weights plus their scales.
  const split = p.scales.bytes ? ` = ${formatBytes(p.memory.stored - p.scales.bytes)} weights + ${formatBytes(p.scales.bytes)} scales` : ''
  rows.push(['As stored', `${formatMemory(p.memory.stored)}${split}`])
  rows.push(['At bf16', formatMemory(p.memory.bf16)])
  rows.push(['At fp8', `${formatMemory(p.memory.fp8)} + scales (under 1%)`])
  rows.push(['At int4', `${formatMemory(p.memory.int4)} + scales and zero points (3–6% at group 128)`])
  return rows
}

function hubApiSection(m: ApiModelFacts): Section {
  const rows: Row[] = []
  const name = joinDefined([m.architectures?.join(', '), m.modelType && `(${m.modelType})`], ' ')
  if (name) rows.push(['Model', name])
  if (m.safetensors) {
    rows.push(['Parameters', `${formatParams(m.safetensors.total)} (${formatCount(m.safetensors.total)}), as the Hub counts them (any scale tensors included)`])
    const dtypes = Object.entries(m.safetensors.parameters).sort((a, b) => b[1] - a[1])
    if (dtypes.length) rows.push(['By dtype', dtypes.map(([d, n]) => `${d} ${formatParams(n)}`).join(' · ')])
  }
  return { title: 'Model (from the Hub API; files need access)', rows }
}

/** One row per variant, smallest first, with the total of its (split) files as disk and GPU count it. */
function variantsSection(set: VariantSet, fits?: VariantFit[]): Section {
  const fitText = (name: string) => {
    const f = fits?.find((x) => x.name === name)
    if (!f) return ''
    return f.fits ? `  · fits${f.tensorParallel && f.tensorParallel > 1 ? ` on ${f.tensorParallel} GPUs` : ''}` : '  · does not fit'
  }
  const rows: Row[] = set.variants.map((v) => [
    v.name.length > 40 ? `${v.name.slice(0, 39)}…` : v.name,
    `${formatMemory(v.totalBytes)}${v.files.length > 1 ? ` in ${v.files.length} files` : ''}${fitText(v.name)}`,
  ])
  if (set.extras.length) rows.push(['shared', cut(set.extras, 3)])
  return { title: 'Weight variants (split files summed; hfx pull org/name:TAG fetches one)', rows }
}

function ggufSection(files: GgufFileSummary[]): Section {
  const rows: Row[] = files.slice(0, MAX_GGUF).map((g) => [
    g.path.length > 40 ? `…${g.path.slice(-39)}` : g.path,
    joinDefined([
      formatBytes(g.size),
      g.quantization,
      g.architecture,
      g.parameters !== undefined && `${formatParams(g.parameters)} params`,
      g.contextLength && `ctx ${formatCount(g.contextLength)}`,
      g.experts && `${g.experts} experts${g.expertsPerToken ? ` (${g.expertsPerToken} per token)` : ''}`,
    ]),
  ])
  if (files.length > MAX_GGUF) rows.push(['…', `${files.length - MAX_GGUF} more GGUF files (see --json)`])
  return { title: 'GGUF files (metadata)', rows }
}

function groupText(g: Group): string {
  return `${plural(g.files, 'file')}, ${formatBytes(g.bytes)}`
}

function datasetSections(d: DatasetFilesSummary): Section[] {
  const list = (groups: Group[], extra?: (g: Group) => string): Row[] => {
    const rows: Row[] = groups.slice(0, MAX_GROUPS).map((g) => [g.name, `${groupText(g)}${extra ? extra(g) : ''}`])
    if (groups.length > MAX_GROUPS) rows.push(['…', `${groups.length - MAX_GROUPS} more`])
    return rows
  }
  const formats = new Map(d.byFolder.map((f) => [f.name, f.formats]))
  return [
    { title: 'Data files', rows: [['Total', groupText({ name: '', files: d.files, bytes: d.bytes })]] },
    { title: 'By split', rows: list(d.bySplit) },
    { title: 'By format', rows: list(d.byFormat) },
    { title: 'By folder', rows: list(d.byFolder, (g) => ` (${formats.get(g.name)!.join(', ')})`) },
  ]
}
