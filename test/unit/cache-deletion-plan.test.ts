import { describe, expect, test } from 'vitest'
import type { CachedRepo, Snapshot } from '../../src/cache/cached-repo.js'
import { isEmpty, planPrune, planRepoRemoval, planRevisionRemoval } from '../../src/cache/deletion-plan.js'

const HOUR = 3_600_000
const NOW = 1_000 * HOUR
const c = (n: number) => String(n).repeat(40)

function snap(commit: string, blobs: Record<string, string>, mtimeMs = NOW - 100 * HOUR): Snapshot {
  return { commit, mtimeMs, files: Object.entries(blobs).map(([path, blob]) => ({ path, kind: 'blob' as const, blob })) }
}

function repo(over: Partial<CachedRepo> = {}): CachedRepo {
  return {
    type: 'model',
    id: 'acme/tiny',
    folder: 'models--acme--tiny',
    blobs: ['shared', 'only1', 'only2', 'stray'].map((name, i) => ({ name, size: 10 ** i, atimeMs: NOW - 50 * HOUR, mtimeMs: NOW - 50 * HOUR })),
    partials: [],
    snapshots: [snap(c(1), { 'a.json': 'shared', 'w.bin': 'only1' }), snap(c(2), { 'a.json': 'shared', 'w.bin': 'only2' })],
    refs: [
      { name: 'main', commit: c(2) },
      { name: 'v1', commit: c(1) },
      { name: 'refs/pr/1', commit: c(1) },
    ],
    noExist: [c(1)],
    manifests: [c(1), c(2)],
    ...over,
  }
}

describe('planRevisionRemoval', () => {
  test('removes the snapshot, every ref naming it, and only the blobs no kept snapshot links', () => {
    const d = planRevisionRemoval(repo(), [c(1)])
    expect(d.whole).toBe(false)
    expect(d.revisions).toEqual([{ commit: c(1), refs: ['refs/pr/1', 'v1'], files: 2 }])
    expect(d.refs.sort()).toEqual(['refs/pr/1', 'v1'])
    expect(d.blobs).toEqual(['only1']) // 'shared' stays for c(2); 'stray' is prune's business
    expect(d.noExist).toEqual([c(1)])
    expect(d.manifests).toEqual([c(1)])
    expect(d.freedBytes).toBe(10)
  })

  test('a blob linked twice within the removed snapshot is freed once', () => {
    const r = repo({ snapshots: [snap(c(1), { a: 'only1', b: 'only1' }), snap(c(2), { a: 'shared' })] })
    expect(planRevisionRemoval(r, [c(1)]).freedBytes).toBe(10)
  })

  test('removing the last revisions removes the whole repo, as huggingface_hub does', () => {
    const d = planRevisionRemoval(repo(), [c(1), c(2)])
    expect(d.whole).toBe(true)
    expect(d.blobs.sort()).toEqual(['only1', 'only2', 'shared', 'stray'])
  })

  test('a revision with only .no_exist markers, in a repo without snapshots, takes the repo with it', () => {
    // What a pull of a missing file leaves in an empty cache: markers and refs/main, no snapshots/ folder.
    // Anything less than the whole folder stays what huggingface_hub's scan_cache_dir calls corrupted.
    const markersOnly = repo({ snapshots: [], blobs: [], refs: [{ name: 'main', commit: c(3) }], noExist: [c(3)], manifests: [] })
    const d = planRevisionRemoval(markersOnly, [c(3)])
    expect(d.whole).toBe(true)
    expect(d.noExist).toEqual([c(3)])
    expect(d.refs).toEqual(['main'])
  })

  test('a markers-only revision beside a snapshot goes alone: its markers and the refs naming it', () => {
    const d = planRevisionRemoval(repo({ refs: [{ name: 'main', commit: c(3) }, { name: 'v1', commit: c(1) }], noExist: [c(1), c(3)] }), [c(3)])
    expect(d.whole).toBe(false)
    expect(d.revisions).toEqual([])
    expect(d.refs).toEqual(['main'])
    expect(d.noExist).toEqual([c(3)])
    expect(d.blobs).toEqual([])
  })

  test('a link whose blob is already gone frees nothing and breaks nothing', () => {
    const r = repo({ snapshots: [snap(c(1), { a: 'gone' }), snap(c(2), { a: 'shared' })] })
    expect(planRevisionRemoval(r, [c(1)]).blobs).toEqual([])
  })

  test('plain files and foreign links are never blobs', () => {
    const s: Snapshot = {
      commit: c(1),
      mtimeMs: 0,
      files: [
        { path: 'copy.bin', kind: 'file', size: 7 },
        { path: 'evil', kind: 'foreign', target: '/etc/passwd' },
      ],
    }
    const d = planRevisionRemoval(repo({ snapshots: [s, snap(c(2), { a: 'shared' })] }), [c(1)])
    expect(d.blobs).toEqual([])
    expect(d.freedBytes).toBe(7)
  })
})

describe('planRepoRemoval', () => {
  test('takes every blob and partial download', () => {
    const d = planRepoRemoval(repo({ partials: [{ etag: 'p', files: ['p.incomplete', 'p.incomplete.parts'], size: 5000, mtimeMs: NOW }] }))
    expect(d.whole).toBe(true)
    expect(d.partials).toEqual(['p.incomplete', 'p.incomplete.parts'])
    expect(d.freedBytes).toBe(1 + 10 + 100 + 1000 + 5000)
  })
})

describe('planPrune', () => {
  const opts = { nowMs: NOW, partialAgeMs: 24 * HOUR, graceMs: HOUR }

  test('removes detached snapshots and unused blobs, keeps everything a ref reaches', () => {
    const r = repo({ refs: [{ name: 'main', commit: c(2) }] })
    const d = planPrune(r, opts)
    expect(d.revisions.map((v) => v.commit)).toEqual([c(1)])
    expect(d.blobs).toEqual(['only1', 'stray'])
    expect(d.noExist).toEqual([c(1)])
    expect(d.refs).toEqual([])
  })

  test('keeps detached snapshots and unused blobs a pull may still be linking', () => {
    const fresh = NOW - HOUR / 2
    const r = repo({
      refs: [{ name: 'main', commit: c(2) }],
      snapshots: [snap(c(1), { 'w.bin': 'only1' }, fresh), snap(c(2), { 'a.json': 'shared' })],
      blobs: [
        { name: 'shared', size: 1, atimeMs: 0, mtimeMs: 0 },
        { name: 'only1', size: 10, atimeMs: 0, mtimeMs: 0 },
        { name: 'new', size: 100, atimeMs: fresh, mtimeMs: fresh },
      ],
    })
    const d = planPrune(r, opts)
    expect(d.revisions).toEqual([])
    expect(d.blobs).toEqual([])
    expect(d.deferred).toEqual({ snapshots: 1, blobs: 1 })
  })

  test('removes partial downloads older than the limit, keeps fresh ones', () => {
    const r = repo({
      partials: [
        { etag: 'old', files: ['old.incomplete', 'old.incomplete.parts'], size: 30, mtimeMs: NOW - 48 * HOUR },
        { etag: 'new', files: ['new.incomplete'], size: 40, mtimeMs: NOW - 2 * HOUR },
      ],
    })
    const d = planPrune(r, opts)
    expect(d.partials).toEqual(['old.incomplete', 'old.incomplete.parts'])
    expect(d.freedBytes).toBe(30 + 1000) // the partial and the stray blob
  })

  test('a partial a running pull on this host writes is kept, however old', () => {
    const r = repo({ partials: [{ etag: 'busy', files: ['busy.hfx-0a1b2c3d-42.partial'], size: 30, mtimeMs: NOW - 48 * HOUR, live: true }] })
    expect(planPrune(r, { ...opts, partialAgeMs: 0 }).partials).toEqual([])
  })

  test('a clean repo has nothing to prune', () => {
    const r = repo({ blobs: repo().blobs.filter((b) => b.name !== 'stray') })
    expect(isEmpty(planPrune(r, opts))).toBe(true)
  })

  test('.no_exist markers of a commit no ref names and with no snapshot go', () => {
    const d = planPrune(repo({ noExist: [c(9), c(2)] }), opts)
    expect(d.noExist).toEqual([c(9)])
  })
})
