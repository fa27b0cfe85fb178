// A JSON reader that remembers the line of every value, for lockfiles: a hand-edited or hostile lock must be
// refused with the line to look at, and JSON.parse gives no lines for a field that parses but is wrong. It
// also refuses what JSON.parse lets through silently: a key given twice, where the second copy would win
// unseen in review.

export type JsonNode =
  | { kind: 'object'; line: number; entries: Map<string, JsonNode> }
  | { kind: 'array'; line: number; items: JsonNode[] }
  | { kind: 'string'; line: number; value: string }
  | { kind: 'number'; line: number; value: number }
  | { kind: 'boolean'; line: number; value: boolean }
  | { kind: 'null'; line: number; value: null }

/** A syntax error at a line; parse.ts turns it into the user-facing LockfileError. */
export class JsonSyntaxError extends Error {
  constructor(readonly line: number, reason: string) {
    super(reason)
  }
}

// A lockfile nests four levels deep; anything far deeper is hostile and would only exhaust the stack.
const MAX_DEPTH = 32
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const WHITESPACE = /[ \t\n\r]*/y

export function readJsonTree(text: string): JsonNode {
  let pos = 0
  let line = 1

  const fail = (reason: string): never => {
    throw new JsonSyntaxError(line, reason)
  }
  const skipSpace = () => {
    WHITESPACE.lastIndex = pos
    const m = WHITESPACE.exec(text)!
    for (const ch of m[0]) if (ch === '\n') line++
    pos += m[0].length
  }
  const shown = () => (pos >= text.length ? 'the end of the file' : JSON.stringify(text[pos]))
  const expect = (ch: string) => {
    skipSpace()
    if (text[pos] !== ch) fail(`expected '${ch}', found ${shown()}`)
    pos++
  }

  const readString = (): string => {
    const start = pos
    pos++ // the opening quote
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1
    if (pos >= text.length) fail('a string is not closed')
    pos++
    try {
      return JSON.parse(text.slice(start, pos)) as string // escapes and raw control characters, as JSON defines them
    } catch {
      return fail('a string holds an invalid escape or a raw control character')
    }
  }

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`)
    skipSpace()
    const at = line
    const ch = text[pos]
    if (ch === '{') {
      pos++
      const entries = new Map<string, JsonNode>()
      skipSpace()
      if (text[pos] === '}') {
        pos++
        return { kind: 'object', line: at, entries }
      }
      for (;;) {
        skipSpace()
        if (text[pos] !== '"') fail(`expected a key in quotes, found ${shown()}`)
        const key = readString()
        if (entries.has(key)) fail(`the key ${JSON.stringify(key)} appears twice in one object`)
        expect(':')
        entries.set(key, readValue(depth + 1))
        skipSpace()
        if (text[pos] === ',') {
          pos++
          continue
        }
        expect('}')
        return { kind: 'object', line: at, entries }
      }
    }
    if (ch === '[') {
      pos++
      const items: JsonNode[] = []
      skipSpace()
      if (text[pos] === ']') {
        pos++
        return { kind: 'array', line: at, items }
      }
      for (;;) {
        items.push(readValue(depth + 1))
        skipSpace()
        if (text[pos] === ',') {
          pos++
          continue
        }
        expect(']')
        return { kind: 'array', line: at, items }
      }
    }
    if (ch === '"') return { kind: 'string', line: at, value: readString() }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length
        return value === null ? { kind: 'null', line: at, value } : { kind: 'boolean', line: at, value }
      }
    }
    NUMBER.lastIndex = pos
    const num = NUMBER.exec(text)
    if (num) {
      pos += num[0].length
      return { kind: 'number', line: at, value: Number(num[0]) }
    }
    return fail(`unexpected ${shown()}`)
  }

  const root = readValue(0)
  skipSpace()
  if (pos < text.length) fail(`unexpected ${shown()} after the end of the document`)
  return root
}
