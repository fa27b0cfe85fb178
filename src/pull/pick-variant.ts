// Which weight variant a pull fetches: the one a `:TAG` names, or with `--fit SIZE` the largest whose files
// fit the memory budget. Pure. The budget is read by `hfx info --fit`'s rule (summary/fit.ts), so the two
// never disagree on which variants fit one GPU: the engine may use 90 % of it, less 1 GiB for the runtime.
// The pick is context-free: the KV cache comes on top (`hfx info --fit` shows it per context).
import { HfxError, EXIT, hfxCommand } from '../errors.js'
import { formatBinaryBytes, formatBytes } from '../format.js'
import { findVariant, type VariantSet, type WeightVariant } from '../select/quant-variants.js'
import { FIT_OVERHEAD } from '../summary/fit.js'

/** What a pull chose, for the plan event (text and --json). */
export interface VariantPick {
  name: string
  files: string[]
  totalBytes: number
  /** Set with --fit: the memory the rule says this variant needs, and the budget. */
  needBytes?: number
  budgetBytes?: number
  /** Why this one, in a sentence the printers show as is. */
  reason: string
}

export class UnknownVariantError extends HfxError {
  override readonly code = 'UNKNOWN_VARIANT'
  override readonly exitCode = EXIT.notFound
  constructor(repo: string, tag: string, set: VariantSet) {
    const names = set.variants.map((v) => v.name)
    super(
      names.length
        ? `${repo} has no variant '${tag}'; it has ${names.join(', ')}.`
        : `${repo} has no quantization variants (no GGUF files, no precision folders), so ':${tag}' names nothing.`,
      names.length ? `Pull one of them, e.g.: ${hfxCommand('pull', `${repo}:${pickExample(set)}`)}` : `List its files with: ${hfxCommand('ls', repo)}`,
    )
  }
}

/**
 * No variant fits the budget. Exit 3, as for an unknown tag or an --include that matches nothing: the
 * selection names nothing in this repo. The hint names the smallest one and what it needs.
 */
export class NoVariantFitsError extends HfxError {
  override readonly code = 'NO_VARIANT_FITS'
  override readonly exitCode = EXIT.notFound
  constructor(repo: string, budget: number, set: VariantSet) {
    const smallest = set.variants[0]
    super(
      smallest
        ? `no variant of ${repo} fits in ${formatBinaryBytes(budget)}: the smallest, ${smallest.name} (${formatBytes(smallest.totalBytes)}), needs ${formatBinaryBytes(needBytes(smallest))}.`
        : `${repo} has no quantization variants to choose from with --fit.`,
      smallest
        ? `Give a larger budget (--fit ${Math.ceil(needBytes(smallest) / 1024 ** 3)}GiB), or pull it anyway with: ${hfxCommand('pull', `${repo}:${smallest.name}`)}`
        : `Leave out --fit to pull the whole repo: ${hfxCommand('pull', repo)}`,
    )
  }
}

/** The GPU memory a variant needs by info's rule: its files within the usable share, less the runtime's part. */
export function needBytes(v: WeightVariant): number {
  return Math.ceil((v.totalBytes + FIT_OVERHEAD.fixedBytes) / FIT_OVERHEAD.utilization)
}

export function pickByTag(repo: string, set: VariantSet, tag: string): VariantPick {
  const v = findVariant(set, tag)
  if (!v) throw new UnknownVariantError(repo, tag, set)
  return { name: v.name, files: v.files, totalBytes: v.totalBytes, reason: `variant ${v.name} (${formatBytes(v.totalBytes)}, ${v.files.length} ${v.files.length === 1 ? 'file' : 'files'}) as asked` }
}

/** "picked Q5_K_M (17.1 GB): largest of 7 variants under 24.0 GiB with 10 % headroom; Q6_K needs 21.0 GiB". */
export function pickByFit(repo: string, set: VariantSet, budget: number): VariantPick {
  const fitting = set.variants.filter((v) => needBytes(v) <= budget)
  const v = fitting[fitting.length - 1] // variants come smallest first
  if (!v) throw new NoVariantFitsError(repo, budget, set)
  const next = set.variants.find((o) => o.totalBytes > v.totalBytes && needBytes(o) > budget)
  const count = `${set.variants.length} ${set.variants.length === 1 ? 'variant' : 'variants'}`
  const why = `largest of ${count} whose weights fit one GPU of ${formatBinaryBytes(budget)} (${FIT_OVERHEAD.utilization * 100} % usable, ${formatBinaryBytes(FIT_OVERHEAD.fixedBytes)} for the runtime; the KV cache comes on top)`
  return {
    name: v.name,
    files: v.files,
    totalBytes: v.totalBytes,
    needBytes: needBytes(v),
    budgetBytes: budget,
    reason: `picked ${v.name} (${formatBytes(v.totalBytes)}): ${why}${next ? `; ${next.name} needs ${formatBinaryBytes(needBytes(next))}` : ''}`,
  }
}

/** A tag to suggest: Q4_K_M when there is one (the usual default), else the middle variant. */
function pickExample(set: VariantSet): string {
  return findVariant(set, 'Q4_K_M')?.name ?? set.variants[Math.floor(set.variants.length / 2)].name
}

