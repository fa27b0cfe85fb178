import { Chalk } from 'chalk'
import { describe, expect, test } from 'vitest'
import { bar, fileLine, fit, overallLine, shorten, visibleLength } from '../../src/report/bar-lines.js'

const plain = new Chalk({ level: 0 })
const color = new Chalk({ level: 1 })

describe('terminal bar lines', () => {
  test('the overall line: bytes, files, speed, ETA', () => {
    const v = { bytesDone: 4_000_000, bytesTotal: 10_000_000, filesDone: 3, filesTotal: 10, bytesPerSec: 2_000_000 }
    expect(overallLine(v, 120, plain)).toBe(`${bar(0.4, 24)}  40% 4.00 MB/10.0 MB · 3/10 files · 2.00 MB/s · ETA 3.0s`)
    expect(overallLine({ ...v, bytesPerSec: undefined }, 120, plain)).toContain('· --/s · ETA --')
    expect(overallLine({ ...v, note: 'rate limited by the Hub, retrying in 42s (1/5)' }, 200, plain)).toMatch(/ETA 3\.0s {2}rate limited/)
  })

  test('a file line keeps the file name when the path is long, and shows waits', () => {
    const line = fileLine({ path: `${'deep/'.repeat(20)}model-00003-of-00163.safetensors`, bytesDone: 5, size: 10, note: 'stalled, reconnecting (2/5)' }, 80, plain)
    expect(visibleLength(line)).toBeLessThanOrEqual(79)
    expect(line).toMatch(/^ {2}…\S*model-00003-of-00163\.safetensors █/)
  })

  test('bars line up on the longest path in flight', () => {
    const a = fileLine({ path: 'a.json', bytesDone: 0, size: 1 }, 100, plain, 20)
    const b = fileLine({ path: 'tokenizer/model.bin', bytesDone: 0, size: 1 }, 100, plain, 20)
    expect(a.indexOf('░')).toBe(b.indexOf('░'))
  })

  test('fit cuts by visible width and closes any colour it cut through', () => {
    const s = color.green('x'.repeat(50))
    const cut = fit(s, 30)
    expect(visibleLength(cut)).toBe(29)
    expect(cut.endsWith('…\x1b[0m')).toBe(true)
    expect(fit('short', 30)).toBe('short')
  })

  test('bar and shorten edge cases', () => {
    expect(bar(0, 4)).toBe('░░░░')
    expect(bar(2, 4)).toBe('████')
    expect(bar(Number.NaN, 4)).toBe('░░░░')
    expect(shorten('abcdef', 4)).toBe('…def')
  })
})
