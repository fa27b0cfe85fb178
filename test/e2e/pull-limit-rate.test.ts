// --limit-rate (and HFX_LIMIT_RATE): one bandwidth cap for the whole pull, across files and connections, in
// bytes per second as curl and aria2c count them. The assertions are lower bounds on time, which a slow or
// loaded machine can only make easier to meet: a cap that does not hold finishes early and fails them.
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect, fixturesWith, RECEIVE_MODES } from '../helpers/test.js'

const MiB = 1024 * 1024
/** Bytes one connection may read before the cap makes it wait: one socket read. */
const READ = 64 * 1024

/**
 * The least time a capped pull of `total` bytes can take: everything beyond the first second's burst and one
 * read in flight per connection arrives at `rate`. Halved, so only a cap that is not applied can miss it.
 */
function leastMs(total: number, rate: number, connections: number): number {
  return (((total - rate - connections * READ) / rate) * 1000) / 2
}

describe.for(RECEIVE_MODES)('hfx pull --limit-rate, receiving %s', ([, env]) => {
  const test = fixturesWith({}, { env })

  test('caps the whole pull, across files and their connections', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/capped', { 'a.safetensors': bytes(1, 3 * MiB), 'b.safetensors': bytes(2, 3 * MiB) })
    const started = performance.now()
    const run = await hfx('pull', 'acme/capped', '--limit-rate', '1M', '--chunk-size', '256k', '--connections', '4')
    const elapsed = performance.now() - started
    expect(run.code, run.stderr).toBe(0)
    // Two files, four connections each: 6 MiB at 1 MiB/s is at least 4 s; uncapped, it takes a fraction of one.
    expect(elapsed).toBeGreaterThan(leastMs(6 * MiB, MiB, 8))
    expect(leastMs(6 * MiB, MiB, 8)).toBeGreaterThan(2000)
    for (const f of ['a.safetensors', 'b.safetensors']) {
      expect(await sha256File(`${run.stdout.trim()}/${f}`)).toBe(repo.sha256(f))
      expect(hub.bytesServed(f)).toBe(3 * MiB)
    }
  })

  test('HFX_LIMIT_RATE below the speed floor: the cap is honoured and the floor does not give up on it', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/floor', { 'model.safetensors': bytes(3, 2 * MiB) })
    // A floor of 2 MiB/s per connection measured every second, and a cap of 512 KiB/s for the whole pull:
    // measured over wall time every connection is far under the floor, but it is waiting on hfx's own cap.
    const env = { HFX_LIMIT_RATE: '512K', HFX_MIN_SPEED: String(2 * MiB), HFX_MIN_SPEED_TIME: '1' }
    const started = performance.now()
    const run = await hfx.with({ env })('pull', 'acme/floor', '--chunk-size', '256k', '--connections', '4')
    const elapsed = performance.now() - started
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/stalled|retrying/)
    expect(elapsed).toBeGreaterThan(leastMs(2 * MiB, 512 * 1024, 4))
    expect(await sha256File(`${run.stdout.trim()}/model.safetensors`)).toBe(repo.sha256('model.safetensors'))
    // Each range was fetched once: no connection was dropped and asked again.
    expect(hub.requests.filter((r) => r.method === 'GET' && r.filePath === 'model.safetensors')).toHaveLength(8)
  })

  test('under a cap, a connection that really trickles is still dropped by the floor', async ({ hub, hfx }) => {
    hub.addRepo('acme/trickle', { 'model.safetensors': bytes(4, 2 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 4 * 1024 })
    const env = { HFX_MIN_SPEED: '16000', HFX_MIN_SPEED_TIME: '1' }
    const run = await hfx.with({ env })('pull', 'acme/trickle', '--limit-rate', '1M', '--chunk-size', '1M', '--connections', '2')
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toMatch(/stalled: under 16 kB\/s for 1s\./)
  })

  test('a rate that is not one is a usage error, from the flag or the environment', async ({ hub, hfx }) => {
    hub.addRepo('acme/any', { 'config.json': '{}' })
    const flag = await hfx('pull', 'acme/any', '--limit-rate', 'fast')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/^error: option '--limit-rate <rate>' argument 'fast' is invalid\. expected bytes per second such as 50M, 500K or 1\.5M \(0: no cap\)\.$/m)
    const env = await hfx.with({ env: { HFX_LIMIT_RATE: '50 megs' } })('pull', 'acme/any')
    expect(env.code).toBe(2)
    expect(env.stderr).toBe('error: HFX_LIMIT_RATE=50 megs: expected bytes per second such as 50M, 500K or 1.5M (0: no cap).\n')
    expect(hub.bytesServed()).toBe(0)
  })

  test('--limit-rate 0 turns a cap set in the environment off', async ({ hub, hfx }) => {
    hub.addRepo('acme/free', { 'model.safetensors': bytes(5, 2 * MiB) })
    // At 1 KiB/s this would take half an hour: a flag that did not win shows as the test's timeout.
    const run = await hfx.with({ env: { HFX_LIMIT_RATE: '1K' } })('pull', 'acme/free', '--limit-rate', '0')
    expect(run.code, run.stderr).toBe(0)
    expect(hub.bytesServed('model.safetensors')).toBe(2 * MiB)
  })
})
