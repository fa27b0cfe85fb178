// The model card's YAML front matter, as the Hub API returns it (cardData), → the fields `hfx info` shows.
// Pure and total: card metadata is hand-written, so a string where a list is expected is taken as a list of one.

export interface DatasetConfig {
  name: string
  splits: string[]
}

export interface CardSummary {
  license?: string
  baseModel?: string[]
  language?: string[]
  datasets?: string[]
  taskCategories?: string[]
  sizeCategories?: string[]
  prettyName?: string
  /** Dataset configs (subsets) and the splits their data_files declare. */
  configs?: DatasetConfig[]
}

function list(v: unknown): string[] | undefined {
  const items = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []
  return items.length ? items : undefined
}

function configs(v: unknown): DatasetConfig[] | undefined {
  if (!Array.isArray(v)) return undefined
  const out: DatasetConfig[] = []
  for (const c of v) {
    if (typeof c !== 'object' || c === null) continue
    const { config_name: name, data_files: files } = c as { config_name?: unknown; data_files?: unknown }
    if (typeof name !== 'string') continue
    const splits = Array.isArray(files)
      ? files.map((f) => (f as { split?: unknown })?.split).filter((s): s is string => typeof s === 'string')
      : []
    out.push({ name, splits })
  }
  return out.length ? out : undefined
}

export function summarizeCard(cardData: Record<string, unknown>): CardSummary {
  const license = list(cardData.license)?.join(', ') ?? (typeof cardData.license_name === 'string' ? cardData.license_name : undefined)
  const s: CardSummary = {
    license,
    baseModel: list(cardData.base_model),
    language: list(cardData.language),
    datasets: list(cardData.datasets),
    taskCategories: list(cardData.task_categories),
    sizeCategories: list(cardData.size_categories),
    prettyName: typeof cardData.pretty_name === 'string' ? cardData.pretty_name : undefined,
    configs: configs(cardData.configs),
  }
  for (const k of Object.keys(s) as (keyof CardSummary)[]) if (s[k] === undefined) delete s[k]
  return s
}
