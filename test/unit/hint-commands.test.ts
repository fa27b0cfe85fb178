// The commands hints suggest must run as printed: the repo named as hfx takes it, quoted where a shell would
// split it, and an unknown revision's hint listing the refs the Hub reported.
import { describe, expect, test } from 'vitest'
import { EntryNotFoundError, hfxCommand, RepoNotFoundError, RevisionNotFoundError } from '../../src/errors.js'
import { repoName } from '../../src/repo/repo-ref.js'

describe('repoName: the name a hint gives back to hfx', () => {
  test.each([
    [{ type: 'model', id: 'org/name' }, 'org/name'],
    [{ type: 'model', id: 'gpt2' }, 'gpt2'],
    [{ type: 'dataset', id: 'org/name' }, 'datasets/org/name'],
    [{ type: 'space', id: 'org/name' }, 'spaces/org/name'],
    [{ type: 'dataset', id: 'org/name', hub: 'modelscope' }, 'ms://datasets/org/name'],
  ] as const)('%j → %s', (ref, name) => {
    expect(repoName(ref)).toBe(name)
  })
})

describe('hfxCommand quotes only what a POSIX shell would change', () => {
  test.each([
    [['ls', 'datasets/org/name@main'], 'hfx ls datasets/org/name@main'],
    [['ls', 'org/name@refs%2Fpr%2F1'], 'hfx ls org/name@refs%2Fpr%2F1'],
    [['ls', 'ms://org/name@v1.0'], 'hfx ls ms://org/name@v1.0'],
    [['ls', 'org/name@a;b'], "hfx ls 'org/name@a;b'"],
    [['ls', 'org/name@$HOME'], "hfx ls 'org/name@$HOME'"],
    [['ls', "org/name@it's"], "hfx ls 'org/name@it'\\''s'"],
  ])('%j → %s', (args, line) => {
    expect(hfxCommand(...args)).toBe(line)
  })
})

describe('hints', () => {
  test('an unknown revision lists branches and tags, and the files of main', () => {
    const e = new RevisionNotFoundError('datasets/org/name', 'nope', 'https://hub', { branches: ['dev', 'main'], tags: ['v1'] })
    expect(e.hint).toBe('Branches: dev, main; tags: v1; or a commit sha. List the files on main with: hfx ls datasets/org/name@main')
  })

  test('without main, the first branch; without branches, no command; long lists are cut', () => {
    const dev = new RevisionNotFoundError('org/name', 'nope', 'https://hub', { branches: ['dev'], tags: [] })
    expect(dev.hint).toBe('Branches: dev; tags: (none); or a commit sha. List the files on dev with: hfx ls org/name@dev')
    const tags = Array.from({ length: 12 }, (_, i) => `v${i}`)
    const none = new RevisionNotFoundError('org/name', 'nope', 'https://hub', { branches: [], tags })
    expect(none.hint).toBe('Branches: (none); tags: v0, v1, v2, v3, v4, v5, v6, v7, v8, v9 and 2 more; or a commit sha.')
  })

  test('refs unknown: the web page, with the prefix', () => {
    expect(new RevisionNotFoundError('spaces/org/app', 'nope', 'https://hub').hint).toBe('See the branches and tags at https://hub/spaces/org/app/tree/main, or use a full commit sha.')
  })

  test('a repo found under another type; an entry not found', () => {
    expect(new RepoNotFoundError('org/name', false, 'https://hub', { type: 'dataset', name: 'datasets/org/name' }).hint).toBe('It exists as a dataset: hfx ls datasets/org/name')
    expect(new EntryNotFoundError('spaces/org/app', 'x.py', 'main').hint).toBe('List the files with: hfx ls spaces/org/app@main')
  })
})
