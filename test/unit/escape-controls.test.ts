import { describe, expect, test } from 'vitest'
import { escapeControls, jsonText } from '../../src/escape-controls.js'

describe('escapeControls', () => {
  test.each<[string, string, string]>([
    ['CSI colour', 'a\x1b[31mred\x1b[0m', 'a\\x1b[31mred\\x1b[0m'],
    ['OSC title ended by BEL', '\x1b]0;pwned\x07ok', '\\x1b]0;pwned\\x07ok'],
    ['OSC 8 link ended by ST', '\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\', '\\x1b]8;;http://evil\\x1b\\x\\x1b]8;;\\x1b\\'],
    ['OSC 52 clipboard', '\x1b]52;c;cm0gLXJmIH4=\x07', '\\x1b]52;c;cm0gLXJmIH4=\\x07'],
    ['one-byte C1 CSI', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['C1 OSC and NEL', '\u009d0;x\u0085', '\\x9d0;x\\x85'],
    ['line breaks and tab', 'a\nerror: fake\r\tb', 'a\\nerror: fake\\r\\tb'],
    ['NUL, backspace, DEL', '\x00\x08\x7f', '\\x00\\x08\\x7f'],
    ['right-to-left override', 'model\u202etxt.exe', 'model\\u202etxt.exe'],
    ['bidi embeddings and isolates', '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069', '\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069'],
  ])('%s', (_kind, input, shown) => {
    expect(escapeControls(input)).toBe(shown)
  })

  test.each([
    ['plain ASCII', 'acme/tiny  main → 0123abcd'],
    ['box drawing and units', '├── config.json  1.05 MB  LFS'],
    ['accents, CJK, emoji', 'é 日本語 🤗'],
    ['Arabic and Hebrew text without formatting characters', 'نموذج עברית'],
    ['a backslash and a literal "\\x1b"', 'a\\b \\x1b'],
    ['zero-width joiner (emoji sequences use it)', '👩\u200d💻'],
  ])('leaves %s alone', (_kind, text) => {
    expect(escapeControls(text)).toBe(text)
  })
})

describe('jsonText', () => {
  const hostile = { path: 'a\x1b]0;t\x07b', tag: 'c\u009b2Jd\x7f', name: 'x\u202etxt.exe', plain: 'é 日本 → ok', n: 1 }

  test('parses back to exactly the same values', () => {
    expect(JSON.parse(jsonText(hostile))).toEqual(hostile)
    expect(JSON.parse(jsonText(hostile, 2))).toEqual(hostile)
  })

  test('holds no raw control or bidi character, C1 and DEL included (JSON.stringify leaves those raw)', () => {
    expect(JSON.stringify(hostile)).toMatch(/[\u009b\u202e\x7f]/)
    expect(jsonText(hostile, 2)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/)
    expect(jsonText(hostile)).toContain('c\\u009b2Jd\\u007f')
    expect(jsonText(hostile)).toContain('x\\u202etxt.exe')
  })

  test('is JSON.stringify for ordinary values', () => {
    const plain = { a: [1, 'two', { three: null }], b: 'é 日本 🤗' }
    expect(jsonText(plain, 2)).toBe(JSON.stringify(plain, null, 2))
  })
})
