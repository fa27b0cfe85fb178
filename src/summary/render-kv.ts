// KvCacheSummary → the "KV cache" rows of `hfx info`: the rule that was applied (so a reader can check it),
// bytes per token, constant state, and the total at each context, in GB and GiB at 16- and 8-bit. Pure.
import { formatBinaryBytes, formatCount, formatMemory, plural } from '../format.js'
import type { KvCacheSummary } from './kv-bytes.js'
import type { KvModel } from './kv-model.js'

type Row = [label: string, value: string]

/** 4,096 → "4K", 163,840 → "160K"; a context that is not a whole number of K is written out. */
export function contextLabel(tokens: number): string {
  return tokens % 1024 === 0 ? `${tokens / 1024}K` : formatCount(tokens)
}

/** "GQA (K + V): 2,048 elements × 32 layers per token", the windowed groups marked: a rule a reader can check. */
function ruleText(m: KvModel): string {
  const parts = m.groups.map((g) => {
    const window = g.window ? ` (at most ${formatCount(g.window)} tokens)` : ''
    return `${plural(g.elementsPerToken, 'element')} × ${plural(g.layers, 'layer')}${window}`
  })
  return `${m.attention} ${m.attention === 'MLA' ? '(latent + rope key)' : '(K + V)'}: ${parts.join(' + ')} per token`
}

function exactBytes(n: number): string {
  return n < 1024 ? formatBinaryBytes(n) : `${formatBinaryBytes(n)} (${formatCount(n)} B)`
}

export function kvRows(kv: KvCacheSummary): Row[] {
  const m = kv.model
  const rows: Row[] = []
  if (m.groups.length) rows.push(['Rule', ruleText(m)])
  if (kv.perToken) {
    rows.push(['Per token', `${exactBytes(kv.perToken['16-bit'])} at 16-bit · ${formatBinaryBytes(kv.perToken['8-bit'])} at 8-bit`])
  }
  if (m.state) {
    const layers = `${plural(m.state.layers, `${m.state.kind} layer`)}, per sequence, whatever the context`
    rows.push(['State', kv.stateBytes !== undefined ? `${formatMemory(kv.stateBytes)} at 16-bit (${layers})` : `unknown (${layers})`])
  }
  for (const at of kv.atContexts) {
    rows.push([`At ${contextLabel(at.context)}`, `${formatMemory(at.bytes['16-bit'])} at 16-bit · ${formatMemory(at.bytes['8-bit'])} at 8-bit`])
  }
  if (m.unknown) rows.push(['Not sized', m.unknown])
  return rows
}
