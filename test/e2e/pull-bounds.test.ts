// What a hostile or broken server can make one pull do: each of these used to loop for ever (or until the
// user gave up) and must now end by itself, with a clear error, after a bounded number of requests.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024
const SIZE = 2 * MiB
const CHUNK = ['--chunk-size', '1M', '--connections', '2']

describe('a server that keeps cutting a file short', () => {
  // Before the fix this never ended: every short body wrote some bytes, which reset the failure count, and
  // the file restarted at byte 0 (236 GETs for a 2 MB file in 90 s). A regression shows up as a timeout.
  test('ignoring Range and cutting every body short: the pull gives up after a few attempts', async ({ hub, home, hfx }) => {
    hub.addRepo('acme/cut', { 'model.safetensors': bytes(1, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'truncate', afterBytes: 700 * 1024, ignoreRange: true, times: Infinity })
    const run = await hfx('pull', 'acme/cut', ...CHUNK)
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toMatch(
      /error: the server keeps cutting model\.safetensors short and does not support resuming \(Range\); gave up after \d+ attempts \/ \d+\.\d MB\./,
    )
    expect(run.stderr).toMatch(/hint: .*ignores Range/)
    const gets = hub.requests.filter((r) => r.method === 'GET' && r.filePath === 'model.safetensors')
    expect(gets.length).toBeLessThanOrEqual(8)
    expect(hub.bytesServed('model.safetensors')).toBeLessThanOrEqual(3 * SIZE)
    // Nothing unverified is visible: no blob, no snapshot file.
    const blobs = await readdir(path.join(repoDir(home.cache, 'acme/cut'), 'blobs')).catch(() => [])
    expect(blobs.filter((n) => !n.includes('.hfx-'))).toEqual([])
  })

  test('a CDN that redirects to a short 200: the same, bounded', async ({ hub, hfx }) => {
    hub.addRepo('acme/cut302', { 'model.safetensors': bytes(2, SIZE) })
    hub.inject({ origin: 'cdn', filePath: 'model.safetensors', kind: 'redirect', times: Infinity })
    hub.inject({ origin: 'cdn', filePath: 'model.safetensors', kind: 'truncate', afterBytes: 700 * 1024, ignoreRange: true, times: Infinity })
    const run = await hfx('pull', 'acme/cut302', ...CHUNK)
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toMatch(/error: the server keeps cutting model\.safetensors short and does not support resuming \(Range\)/)
    const cdn = hub.requests.filter((r) => r.origin === 'cdn' && r.method === 'GET')
    expect(cdn.some((r) => r.status === 302)).toBe(true)
    expect(cdn.length).toBeLessThanOrEqual(10)
    expect(hub.bytesServed('model.safetensors')).toBeLessThanOrEqual(3 * SIZE)
  })

  test('cut short once, without Range: the restart gets the whole file', async ({ hub, hfx }) => {
    hub.addRepo('acme/cut-once', { 'model.safetensors': bytes(3, SIZE) })
    hub.inject({ filePath: 'model.safetensors', kind: 'truncate', afterBytes: 700 * 1024, ignoreRange: true, times: 2 })
    hub.inject({ filePath: 'model.safetensors', kind: 'ignoreRange', times: Infinity })
    const run = await hfx('pull', 'acme/cut-once', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
  })
})
