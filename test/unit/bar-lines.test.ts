import { Chalk } from 'chalk'
import { describe, expect, test } from 'vitest'
import { bar, fileLine, fit, overallLine, visibleLength, wrapList } from '../../src/report/bar-lines.js'
import { plural } from '../../src/format.js'
import { distinctParts, shorten } from '../../src/report/short-name.js'

const plain = new Chalk({ level: 0 })
const color = new Chalk({ level: 1 })

describe('terminal bar lines', () => {
  test('the overall line: bytes, files, speed, ETA, elapsed', () => {
    const v = { bytesDone: 4_000_000, bytesTotal: 10_000_000, filesDone: 3, filesTotal: 10, bytesPerSec: 2_000_000 }
    expect(overallLine(v, 120, plain)).toBe(`${bar(0.4, 24)}  40% 4.00 MB/10.0 MB · 3/10 files · 2.00 MB/s · ETA 3.0s`)
    expect(overallLine({ ...v, elapsedMs: 12_000 }, 120, plain)).toBe(`${bar(0.4, 24)}  40% 4.00 MB/10.0 MB · 3/10 files · 2.00 MB/s · ETA 3.0s · 12s elapsed`)
    expect(overallLine({ ...v, filesTotal: 1, filesDone: 0 }, 120, plain)).toContain(' 0/1 file ·')
    // While a wait is on, the ETA is left out rather than computed from a rate that fell to zero.
    expect(overallLine({ ...v, bytesPerSec: 10, paused: true, elapsedMs: 4000 }, 120, plain)).not.toContain('ETA')
    expect(overallLine({ ...v, bytesPerSec: undefined }, 120, plain)).toContain('· --/s · ETA --')
    expect(overallLine({ ...v, note: 'rate limited by the Hub, retrying in 42s (1/5)' }, 200, plain)).toMatch(/ETA 3\.0s {2}rate limited/)
  })

  test('on 60 columns the bar shrinks before figures go: speed and ETA stay', () => {
    const v = { bytesDone: 115_000_000, bytesTotal: 268_000_000, filesDone: 0, filesTotal: 4, bytesPerSec: 11_300_000, elapsedMs: 10_000 }
    const line = overallLine(v, 60, plain)
    expect(visibleLength(line)).toBeLessThanOrEqual(59)
    expect(line).toMatch(/^[█░]{6,} {2}42% 115 MB\/268 MB · 11\.3 MB\/s · ETA 14s/)
    expect(line).not.toContain('…')
  })

  test('a file line cuts a long path around the part that differs, keeps the figures, and shows waits', () => {
    const names = [1, 2, 3, 4].map((i) => `model-0000${i}-of-00004.safetensors`)
    const parts = distinctParts(names)
    const lines = names.map((p) => fileLine({ path: p, bytesDone: 12_000_000, size: 24_000_000, distinct: parts.get(p) }, 60, plain))
    for (const l of lines) {
      expect(visibleLength(l)).toBeLessThanOrEqual(59)
      expect(l).toMatch(/ [█░]{6} +50% 12\.0 MB\/24\.0 MB$/)
    }
    expect(lines.map((l) => l.trim().split(' ')[0])).toEqual(names.map((_, i) => expect.stringContaining(`model-0000${i + 1}…`)))
    const waiting = fileLine({ path: 'model.safetensors', bytesDone: 5, size: 10, note: 'stalled, reconnecting (2/5)' }, 100, plain)
    expect(waiting).toMatch(/50% 5 B\/10 B {2}stalled, reconnecting \(2\/5\)$/)
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

  test('wrapList breaks after commas to fit, and keeps short text whole', () => {
    const text = '10 files, 76.5 MB: 10 to download (76.5 MB), 0 B already present, 83.6 GB free'
    expect(wrapList(text, 60)).toEqual(['10 files, 76.5 MB: 10 to download (76.5 MB),', '0 B already present, 83.6 GB free'])
    expect(wrapList(text, 120)).toEqual([text])
  })

  test('bar and shorten edge cases', () => {
    expect(bar(0, 4)).toBe('░░░░')
    expect(bar(2, 4)).toBe('████')
    expect(bar(Number.NaN, 4)).toBe('░░░░')
    expect(shorten('abcdef', 4)).toBe('ab…f')
    expect(shorten('abcdef', 6)).toBe('abcdef')
  })
})

describe('short names', () => {
  test('the window is what differs from the closest names', () => {
    const names = ['data/train-00012-of-00100.parquet', 'data/train-00013-of-00100.parquet', 'data/test-00000-of-00001.parquet', 'config.json']
    const w = distinctParts(names)
    expect(names[0].slice(w.get(names[0])!.from, w.get(names[0])!.to)).toBe('2')
    expect(names[2].slice(w.get(names[2])!.from, w.get(names[2])!.to)).toBe('est-00000-of-00001')
    // Alone, a name has nothing in common with others: the whole of it is distinct, and the cut goes in the middle.
    expect(distinctParts(['a.bin']).get('a.bin')).toEqual({ from: 0, to: 5 })
  })

  test('shards stay apart when cut; the window sits far in and the start gives way', () => {
    const deep = `${'deep/'.repeat(10)}model-00003-of-00163.safetensors`
    const other = `${'deep/'.repeat(10)}model-00004-of-00163.safetensors`
    const w = distinctParts([deep, other])
    expect(shorten(deep, 30, w.get(deep))).toBe('…el-00003-of-00163.safetensors')
    expect(shorten(deep, 30, w.get(deep))).not.toBe(shorten(other, 30, w.get(other)))
    expect(shorten('model-00001-of-00004.safetensors', 20, { from: 10, to: 11 })).toBe('model-00001…etensors')
  })
})

describe('plural', () => {
  test('one noun, many nouns, thousands separated', () => {
    expect(plural(1, 'file')).toBe('1 file')
    expect(plural(0, 'file')).toBe('0 files')
    expect(plural(1998, 'small file')).toBe('1,998 small files')
  })
})
