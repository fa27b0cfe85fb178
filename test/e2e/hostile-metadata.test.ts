// What a hostile or broken server can make hfx hold in memory or wait for through metadata (listings,
// headers, API answers): each is bounded, and going over a bound is a clear error or note, not an
// out-of-memory kill or a run that never ends. Memory itself is measured by hand (BENCHMARKS.md), never here.
import { llamaTensors } from '../helpers/model-shapes.js'
import { expectedCounts, rawSafetensors, safetensorsFile } from '../helpers/safetensors-writer.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

describe('tree listings are bounded', () => {
  test('a tree page over 16 MiB is refused, naming the limit', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/fat-page', { 'a.json': '{}' })
    const page = `[${' '.repeat(17 * MiB)}]`
    repo.rawTreePages = { count: 1, body: () => page }
    const run = await hfx('ls', 'acme/fat-page')
    expect(run.code, run.stderr).toBe(8)
    expect(run.stderr).toMatch(/error: the answer from http:\/\/127\.0\.0\.1:\d+\/api\/models\/acme\/fat-page\/tree\/.* is larger than 16 MiB; refusing to read it\./)
    // Refused at once, not retried.
    expect(hub.requests.filter((r) => r.path.includes('/tree/')).length).toBe(1)
  })

  test('a listing of more than a million entries is refused after the millionth, by pull, ls and info alike', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/endless', { 'a.json': '{}' })
    // 250,000 folder entries a page (8 MB, within the page limit), five pages.
    const page = `[${Array(250_000).fill('{"type":"directory","path":"d"}').join(',')}]`
    repo.rawTreePages = { count: 5, body: () => page }
    for (const args of [['ls', 'acme/endless'], ['pull', 'acme/endless'], ['info', 'acme/endless']]) {
      hub.resetLog()
      const run = await hfx(...args)
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(8)
      expect(run.stderr).toMatch(/error: the Hub's file listing for acme\/endless has more than 1,000,000 entries; hfx refuses listings that large\./)
      expect(run.stderr).toMatch(/hint: .*under 100k files per repo/)
      expect(hub.requests.filter((r) => r.path.includes('/tree/')).length).toBe(5)
    }
  })
})

describe('hfx info reads a bounded amount of safetensors headers', () => {
  // Before: every header was read in full and kept until the end (12 shards of 10 MB headers: 880 MB).
  // Now a repo's headers may add up to 64 MB, reserved before they are asked for. Four shards claim 20 MB
  // headers, listed as 30 MB files (the server lies about sizes, so the test needs kilobytes, not 80 MB):
  // three reservations fit, the fourth is refused before its bytes are asked for, and the summary says so.
  test('shards past 64 MB of headers are not read, said once; the rest of the summary stands', async ({ hub, hfx }) => {
    const good = llamaTensors({ layers: 2, hidden: 64, intermediate: 128, heads: 4, kvHeads: 4, vocab: 128 })
    const lfs = (content: Buffer) => ({ content, lfs: true })
    const files: Record<string, { content: Buffer; lfs: boolean }> = { 'model-00001-of-00005.safetensors': lfs(safetensorsFile(good)) }
    for (let i = 2; i <= 5; i++) files[`model-0000${i}-of-00005.safetensors`] = lfs(rawSafetensors(20_000_000n, Buffer.alloc(1024, 0x20)))
    const repo = hub.addRepo('acme/heavy-headers', { 'config.json': '{"model_type":"llama"}', ...files })
    repo.rawTreeOverride = Object.keys({ 'config.json': 0, ...files }).map((path) => {
      const f = repo.file(path)
      const size = path.includes('-00001-') || path === 'config.json' ? f.size : 30_000_000
      return { type: 'file', path, oid: f.oid, size, ...(f.lfs ? { lfs: { oid: f.sha256, size, pointerSize: 134 } } : {}) }
    })
    const run = await hfx('info', 'acme/heavy-headers', '--json')
    expect(run.code, run.stderr).toBe(0)
    const s = JSON.parse(run.stdout)
    expect(s.safetensors.shardsRead).toBe(1)
    expect(s.safetensors.params.total).toBe(expectedCounts(good).total)
    const notes: string[] = s.notes
    expect(notes.filter((n) => /not read: the repo's headers would pass 64 MB/.test(n))).toEqual([
      "1 safetensors file was not read: the repo's headers would pass 64 MB, far more than any real checkpoint's (about 12 MB for DeepSeek-V3)",
    ])
    expect(notes).toContain('parameter counts cover 1 of 5 safetensors files')
    // Only three shards were asked for the rest of a 20 MB header.
    const restReads = hub.requests.filter((r) => r.origin === 'cdn' && /^bytes=\d+-2000000\d$/.test(r.range ?? ''))
    expect(restReads.length).toBe(3)
  })
})

describe('metadata answers have an overall deadline', () => {
  // Before: only silence was timed, so a server sending 4 bytes a second held `hfx ls` for as long as it
  // liked. Now a metadata answer must be complete within 6 × HF_HUB_ETAG_TIMEOUT (1 s in tests): 6 s.
  test('hfx ls against a server that trickles its JSON ends with a network error', async ({ hub, hfx }) => {
    hub.addRepo('acme/slow', { 'a.json': '{}' })
    hub.inject({ origin: 'hub', kind: 'trickle', bytesPerSec: 4, times: Infinity })
    const run = await hfx('ls', 'acme/slow')
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toMatch(/error: http:\/\/127\.0\.0\.1:\d+\/api\/models\/acme\/slow\/revision\/main did not finish answering within 6s \(it kept sending, too slowly\); gave up\./)
    expect(run.stderr).toMatch(/hint: .*HF_HUB_ETAG_TIMEOUT/)
    // Not retried: one attempt already took the whole deadline.
    expect(hub.requests.length).toBe(1)
    // It was receiving all along: about 4 bytes a second for 6 seconds, never silent for a whole second.
    expect(hub.requests[0]!.bytesSent).toBeGreaterThan(8)
  })

  test('a pull whose tree listing trickles ends too, naming the listing', async ({ hub, hfx }) => {
    hub.addRepo('acme/slow-tree', { 'a.json': '{}' })
    hub.inject({ origin: 'hub', kind: 'trickle', bytesPerSec: 4, pathIncludes: '/tree/', times: Infinity })
    const run = await hfx('pull', 'acme/slow-tree')
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toMatch(/error: http:\/\/127\.0\.0\.1:\d+\/api\/models\/acme\/slow-tree\/tree\/[0-9a-f]{40} did not finish answering within 6s/)
    expect(hub.requests.filter((r) => r.path.includes('/tree/')).length).toBe(1)
  })
})
