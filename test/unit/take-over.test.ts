// Which leftover partials a pull takes over, and how (claim-partial.ts gathers the facts; this is the table).
import { describe, expect, test } from 'vitest'
import { type PartialName, parsePartialName } from '../../src/cache/hfx-names.js'
import { type LeftoverFacts, takeOverHow } from '../../src/pull/take-over.js'

const E = 'e'.repeat(64)
const FOREIGN = `xGOKKLRSlIhH692hSVvI1-gpoa8=.${E}`
const facts = (f: Partial<LeftoverFacts> = {}): LeftoverFacts => ({ base: E, foreignBases: [FOREIGN], quiet: false, hasSidecar: false, lockHeld: false, ...f })
const name = (n: string): PartialName => parsePartialName(n)!
const hfx = name(`${E}.hfx-0123abcd-42.partial`)

describe('taking over a leftover partial', () => {
  test.each([
    ['hfx, this process', hfx, facts({ owner: 'this process' }), 'rename'],
    ['hfx, owner gone (Ctrl-C, kill -9, a crash)', hfx, facts({ owner: 'gone' }), 'rename'],
    ['hfx, owner alive but quiet for long: copied', hfx, facts({ owner: 'alive', quiet: true, lockHeld: true }), 'copy'],
    ['hfx, owner alive and writing: left alone', hfx, facts({ owner: 'alive', lockHeld: true }), undefined],
    ['hfx, another host, quiet', hfx, facts({ owner: 'other host', quiet: true }), 'copy'],
    ['hfx, another host, fresh: it may still be written', hfx, facts({ owner: 'other host', lockHeld: true }), undefined],
    ["hfx, another host, fresh, but the lease is ours: its writer stopped (copied, never renamed)", hfx, facts({ owner: 'other host', leaseHeld: true }), 'copy'],
    ['hfx, this host, alive: the lease does not make it ours', hfx, facts({ owner: 'alive', leaseHeld: true }), undefined],
    ['hfx, another content', name(`${'f'.repeat(64)}.hfx-0123abcd-42.partial`), facts({ owner: 'gone' }), undefined],
    ['hfx sidecar: never taken over by itself', name(`${E}.hfx-0123abcd-42.partial.parts`), facts({ owner: 'gone' }), undefined],
    ['hfx before 0.2, with its sidecar', name(`${E}.incomplete`), facts({ hasSidecar: true }), 'rename'],
    ['huggingface_hub 0.x, lock held', name(`${E}.incomplete`), facts({ lockHeld: true }), 'copy'],
    ['huggingface_hub 0.x, quiet', name(`${E}.incomplete`), facts({ quiet: true }), 'copy'],
    ['huggingface_hub 0.x, fresh, no lock: it may still be written', name(`${E}.incomplete`), facts(), undefined],
    ['huggingface_hub ≥ 1.18, lock held', name(`${E}.0a1b2c3d.incomplete`), facts({ lockHeld: true }), 'copy'],
    ["huggingface_hub's local-dir name, lock held", name(`${FOREIGN}.incomplete`), facts({ lockHeld: true }), 'copy'],
    ["huggingface_hub's local-dir name with a sidecar is still theirs", name(`${FOREIGN}.incomplete`), facts({ hasSidecar: true }), undefined],
    ['another content of huggingface_hub', name(`${'f'.repeat(64)}.incomplete`), facts({ lockHeld: true, quiet: true }), undefined],
  ] as const)('%s', (_, p, f, how) => {
    expect(takeOverHow(p, f)).toBe(how)
  })
})
