// File names cut to fit a narrow terminal without losing what tells them apart. Cutting from the left made
// every shard of a checkpoint read "…of-00004.safetensors"; cutting in the middle blindly can drop the very
// digit that differs ("model-0000…-of-00004.safetensors"). So the cut goes around the part of a name that
// differs from its neighbours (the window `distinctParts` finds), and otherwise in the middle. Pure.

/** Where a name differs from the names most like it: [from, to) in the name. */
export interface Window {
  from: number
  to: number
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

const reversed = (s: string) => [...s].reverse().join('')

/**
 * For each name, the window outside its longest prefix and longest suffix shared with any other name:
 * "model-00002-of-00004.safetensors" among its siblings → the "2". Sorting makes the neighbour that shares
 * the longest prefix (or suffix) adjacent, so thousands of names cost a sort, not a square.
 */
export function distinctParts(names: string[]): Map<string, Window> {
  const unique = [...new Set(names)]
  const longest = (list: string[]) => {
    const sorted = [...list].sort()
    const best = new Map<string, number>()
    sorted.forEach((s, i) => {
      const before = i > 0 ? commonPrefix(s, sorted[i - 1]) : 0
      const after = i < sorted.length - 1 ? commonPrefix(s, sorted[i + 1]) : 0
      best.set(s, Math.max(before, after))
    })
    return best
  }
  const prefix = longest(unique)
  const suffixOfReversed = longest(unique.map(reversed))
  const out = new Map<string, Window>()
  for (const name of unique) {
    const from = Math.min(prefix.get(name) ?? 0, name.length)
    const to = Math.max(from, name.length - (suffixOfReversed.get(reversed(name)) ?? 0))
    // A name that is a prefix of another ("a.bin" and "a.bin.1") differs only by its end: keep that end.
    out.set(name, from < to ? { from, to } : { from: Math.max(0, name.length - 1), to: name.length })
  }
  return out
}

/**
 * `name` in at most `max` columns, cut with one "…". With a window, the cut falls after the window when the
 * start and the window fit, the end of the name (the extension, "-of-00163") filling the rest; else the
 * start goes. Without a window, the middle goes.
 */
export function shorten(name: string, max: number, window?: Window): string {
  const chars = [...name]
  if (chars.length <= max) return name
  if (max <= 1) return '…'.slice(0, max)
  const room = max - 1
  const join = (head: number, tail: number) => `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`
  if (!window) {
    const head = Math.ceil(room / 2)
    return join(head, room - head)
  }
  // The start up to the end of the window, then as much of the end as is left.
  if (window.to < room) return join(window.to, room - window.to)
  // The window is far in: cut at the start. (A window longer than the room loses its start this way too.)
  return join(0, room)
}
