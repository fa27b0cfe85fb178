// The lease file's line, and the verdict a process reaches on a lease someone else holds (pull/lease-record.ts).
import { describe, expect, test } from 'vitest'
import { leasePathFor } from '../../src/cache/hfx-names.js'
import { formatLease, type LeaseFacts, leaseVerdict, parseLease } from '../../src/pull/lease-record.js'

const ME = '0123abcd'
const OTHER = 'fedc9876'
const line = (host: string, pid: number, beat = 7) => formatLease({ owner: { host, pid }, nonce: '00112233aabbccdd', beat })
const facts = (alive: number[] = [], staleMs = 30_000): LeaseFacts => ({ host: ME, pidAlive: (pid) => alive.includes(pid), staleMs })

describe('the lease line', () => {
  test('round-trips, one fixed-width line whatever the beat', () => {
    const r = { owner: { host: OTHER, pid: 4242 }, nonce: '00112233aabbccdd', beat: 123 }
    expect(parseLease(formatLease(r))).toEqual(r)
    expect(formatLease({ ...r, beat: 1 }).length).toBe(formatLease({ ...r, beat: 987_654_321 }).length)
    expect(formatLease(r)).toMatch(/^hfx-lease 1 fedc9876 4242 00112233aabbccdd 000000000123\n$/)
  })
  test.each([
    ['empty (being written)', ''],
    ['half a line', line(OTHER, 1).slice(0, 20)],
    ['another version', line(OTHER, 1).replace('hfx-lease 1', 'hfx-lease 2')],
    ['two lines', line(OTHER, 1) + line(OTHER, 2)],
    ['a bad host tag', line(OTHER, 1).replace(OTHER, 'zzzzzzzz')],
  ])('is not a lease: %s', (_, text) => {
    expect(parseLease(text)).toBeUndefined()
  })
  test('lives beside the lock file', () => {
    expect(leasePathFor('/c/.locks/models--a--b/abc.lock')).toBe('/c/.locks/models--a--b/abc.hfx-lease')
    expect(leasePathFor('/d/.cache/huggingface/download/sub/w.bin.lock')).toBe('/d/.cache/huggingface/download/sub/w.bin.hfx-lease')
  })
})

describe('whether a lease someone holds may be taken over', () => {
  const at = (text: string, sameForMs: number) => ({ text, sameSinceMs: 1_000_000 - sameForMs, nowMs: 1_000_000 })
  test.each([
    ['another host, beating', at(line(OTHER, 5), 1_000), facts(), 'held'],
    ['another host, silent for less than the stale time', at(line(OTHER, 5), 29_999), facts(), 'held'],
    ['another host, silent for the stale time (a node that died)', at(line(OTHER, 5), 30_000), facts(), 'gone'],
    ['another host, pids mean nothing here: a dead-looking pid is still held', at(line(OTHER, 5), 0), facts([]), 'held'],
    ['this host, pid gone (Ctrl-C, kill -9): at once', at(line(ME, 5), 0), facts([]), 'gone'],
    ['this host, pid alive and beating', at(line(ME, 5), 0), facts([5]), 'held'],
    ['this host, pid alive but silent (the pid reused by another process)', at(line(ME, 5), 30_000), facts([5]), 'gone'],
    ['being written, fresh', at('', 100), facts(), 'held'],
    ['left empty by a creator that died', at('', 30_000), facts(), 'gone'],
    ['a shorter stale time (HFX_LOCK_WAIT)', at(line(OTHER, 5), 3_000), facts([], 3_000), 'gone'],
  ] as const)('%s', (_, sighting, f, verdict) => {
    expect(leaseVerdict(sighting, f)).toBe(verdict)
  })
})
