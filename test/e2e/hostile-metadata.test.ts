// What a hostile or broken server can make hfx hold in memory or wait for through metadata (listings,
// headers, API answers): each is bounded, and going over a bound is a clear error or note, not an
// out-of-memory kill or a run that never ends. Memory itself is measured by hand (BENCHMARKS.md), never here.
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
