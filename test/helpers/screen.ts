// A minimal terminal: replays what a program wrote to a pty and returns the lines left on the screen, so a
// test (or the README capture) sees what a person would see rather than the escape codes. It knows the
// sequences cli-progress and readline write: CR, LF, cursor up/down/column, erase line / below; colours
// and mode switches are dropped.

export function renderScreen(raw: string): string[] {
  const rows: string[][] = [[]]
  let row = 0
  let col = 0
  const line = () => (rows[row] ??= [])
  const token = /\x1b\[([?0-9;]*)([A-Za-z])|\x1b[78]|\r|\n|[^\x1b\r\n]/gu
  for (const m of raw.matchAll(token)) {
    const t = m[0]
    if (t === '\r') col = 0
    else if (t === '\n') {
      row++
      while (rows.length <= row) rows.push([])
    } else if (m[2] !== undefined) {
      const n = Number(m[1]?.replace('?', '') || 0)
      switch (m[2]) {
        case 'A':
          row = Math.max(0, row - (n || 1))
          break
        case 'B':
          row += n || 1
          break
        case 'G':
          col = Math.max(0, (n || 1) - 1)
          break
        case 'K':
          if (n === 0) line().length = Math.min(line().length, col)
          else if (n === 2) rows[row] = []
          break
        case 'J':
          if (n === 0) {
            line().length = Math.min(line().length, col)
            rows.length = row + 1
          }
          break
      }
    } else if (t.startsWith('\x1b')) {
      // ESC 7 / ESC 8 (save / restore cursor): cli-progress's multibar does not rely on them.
    } else {
      const l = line()
      while (l.length < col) l.push(' ')
      l[col++] = t
    }
  }
  const out = rows.map((r) => r.join('').trimEnd())
  while (out.length && out[out.length - 1] === '') out.pop()
  return out
}
