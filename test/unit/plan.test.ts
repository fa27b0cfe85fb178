import { describe, expect, test } from 'vitest'
import type { TreeFile } from '../../src/hub/hub.js'
import { planPull } from '../../src/pull/plan.js'

const sha = (c: string) => c.repeat(64)
const oid = (c: string) => c.repeat(40)
const lfs = (path: string, c: string, size: number): TreeFile => ({ type: 'file', path, size, oid: oid(c), lfs: { oid: sha(c), size } })
const git = (path: string, c: string, size: number): TreeFile => ({ type: 'file', path, size, oid: oid(c) })

describe('planPull', () => {
  test('complete blobs are linked or skipped, missing ones fetched, partial bytes subtracted', () => {
    const files = [lfs('w.safetensors', 'a', 1000), git('config.json', 'b', 10), lfs('x.bin', 'c', 500)]
    const state = new Map([
      [sha('a'), { complete: false, linked: false, partial: 400 }],
      [oid('b'), { complete: true, linked: true, partial: 0 }],
      [sha('c'), { complete: true, linked: false, partial: 0 }],
    ])
    const plan = planPull(files, (_f, etag) => state.get(etag)!)
    expect(plan.files.map((f) => [f.path, f.action, f.partial])).toEqual([
      ['config.json', 'skip', 0],
      ['w.safetensors', 'fetch', 400],
      ['x.bin', 'link', 0],
    ])
    expect(plan).toMatchObject({ totalBytes: 1510, cachedBytes: 510, downloadBytes: 600 })
    expect(plan.files[1].expected).toEqual({ algorithm: 'sha256', hex: sha('a'), size: 1000 })
    expect(plan.files[0].expected).toEqual({ algorithm: 'git-sha1', hex: oid('b'), size: 10 })
  })

  test('refetch (--force-download) fetches what is complete, once per content, resuming a partial', () => {
    const files = [git('config.json', 'b', 10), lfs('a/w.bin', 'd', 100), lfs('b/w.bin', 'd', 100), lfs('x.bin', 'c', 500)]
    const state = new Map([
      [oid('b'), { complete: true, linked: true, partial: 0 }],
      [sha('d'), { complete: true, linked: true, partial: 0 }],
      [sha('c'), { complete: false, linked: false, partial: 200 }],
    ])
    const plan = planPull(files, (_f, etag) => state.get(etag)!, { refetch: true })
    expect(plan.files.map((f) => [f.path, f.action, f.partial])).toEqual([
      ['a/w.bin', 'fetch', 0],
      ['b/w.bin', 'link', 0],
      ['config.json', 'fetch', 0],
      ['x.bin', 'fetch', 200],
    ])
    expect(plan).toMatchObject({ cachedBytes: 0, downloadBytes: 10 + 100 + 300 })
  })

  test('two paths with the same content are fetched once and linked twice', () => {
    const files = [lfs('a/w.bin', 'd', 100), lfs('b/w.bin', 'd', 100)]
    const plan = planPull(files, () => ({ complete: false, linked: false, partial: 0 }))
    expect(plan.files.map((f) => f.action)).toEqual(['fetch', 'link'])
    expect(plan.downloadBytes).toBe(100)
  })
})
