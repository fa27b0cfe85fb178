// npm run bench: hfx against curl and aria2c on the Hub emulator, in one run, over HTTPS and plain HTTP
// (bench/transport.ts), contenders alternating (A B C, B C A, C A B, …), medians and ratios reported, each
// ratio within one transport. Writes a table to stdout and JSON to bench/results/.
// Options: --rounds N (default 3), --scale F (payload sizes × F, default 1), --only a-d,b-e,
//          --transport http|https|both (default both; resume, main thread and info use HTTPS unless left out),
//          --sweep [--grid 4,8,16:8M,16M,64M] (hfx settings grid instead of contenders), --skip-resume, --skip-info,
//          --skip-main-thread.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startHub, type Hub } from '../test/emulator/index.js'
import { aria2c, curl, hfx, type Contender } from './contenders.js'
import { measure, median, type Sample } from './measure.js'
import { measureInfo } from './info.js'
import { measureMainThread, VARIANTS } from './main-thread.js'
import { measureResume } from './resume.js'
import { LINKS, PAYLOADS, SCENARIOS } from './scenarios.js'
import { targetLines } from './targets.js'
import { countingTransport, hubOptions, parseTransports, type Transport } from './transport.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const flag = (name: string) => args.includes(name)
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const ROUNDS = Number(option('--rounds', '3'))
const SCALE = Number(option('--scale', '1'))
const ONLY = option('--only', '').split(',').filter(Boolean)
const TRANSPORTS = parseTransports(option('--transport', 'both'))

function ensureTools(): void {
  for (const [tool, pkg] of [['aria2c', 'aria2'], ['curl', 'curl'], ['/usr/bin/time', 'time']]) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    } catch {
      process.stderr.write(`installing ${pkg} (Debian package) …\n`)
      execFileSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${pkg}`], { stdio: 'inherit' })
    }
  }
}

interface Row {
  scenario: string
  transport: Transport
  contender: string
  bytes: number
  samples: Sample[]
  mbps: number
  cpuSPerGB: number
  maxRssMB: number
  /** Over HTTPS: the TLS protocol and cipher the contender negotiated with the CDN (or the hub, for b-c). */
  tls?: string
}

/**
 * One hub per transport, holding the same repo; each round runs every transport × contender pair, the order
 * rotated every round, so a machine that speeds up or slows down during the run weighs on all alike.
 */
async function runScenario(id: string, link: string, payload: string, contenders: Contender[], workRoot: string): Promise<Row[]> {
  const hubs = new Map<Transport, Hub>()
  try {
    const files = PAYLOADS[payload].files(SCALE)
    const repo = `bench/${id}`
    for (const t of TRANSPORTS) {
      const hub = await startHub(hubOptions(t))
      hubs.set(t, hub)
      hub.throttle(LINKS[link].throttle)
      hub.addRepo(repo, files)
    }
    const names = Object.keys(files)
    const total = names.reduce((n, f) => n + (Buffer.isBuffer(files[f]) ? (files[f] as Buffer).length : (files[f] as { content: Buffer }).content.length), 0)
    const pairs = TRANSPORTS.flatMap((transport) => contenders.map((c) => ({ transport, c, key: `${transport} ${c.name}` })))
    const samples = new Map<string, Sample[]>(pairs.map((p) => [p.key, []]))
    const ciphers = new Map<string, string>()
    for (let round = 0; round < ROUNDS; round++) {
      const order = pairs.map((_, i) => pairs[(i + round) % pairs.length])
      for (const { transport, c, key } of order) {
        const hub = hubs.get(transport)!
        const dir = await mkdtemp(path.join(workRoot, `${c.name}-`))
        const { cmd, args: cargs, env } = await c.command({ endpoint: hub.url, repo, files: names, dir, caFile: hub.caFile })
        hub.resetLog()
        const s = await measure(cmd, cargs, env, dir)
        samples.get(key)!.push(s)
        const bodies = hub.requests.filter((r) => r.filePath !== undefined && r.tls)
        if (bodies.length) ciphers.set(key, bodies[bodies.length - 1]!.tls!)
        process.stderr.write(`  ${id} round ${round + 1} ${transport.padEnd(5)} ${c.name.padEnd(22)} ${(total / 1e6 / s.wallS).toFixed(0).padStart(5)} MB/s  ${s.wallS.toFixed(2)} s  cpu ${(s.userS + s.sysS).toFixed(2)} s  rss ${s.maxRssMB.toFixed(0)} MB\n`)
        await rm(dir, { recursive: true, force: true })
      }
    }
    return pairs.map(({ transport, c, key }) => {
      const ss = samples.get(key)!
      const wall = median(ss.map((s) => s.wallS))
      return {
        scenario: id,
        transport,
        contender: c.name,
        bytes: total,
        samples: ss,
        mbps: total / 1e6 / wall,
        cpuSPerGB: median(ss.map((s) => s.userS + s.sysS)) / (total / 1e9),
        maxRssMB: Math.max(...ss.map((s) => s.maxRssMB)),
        tls: ciphers.get(key),
      }
    })
  } finally {
    for (const hub of hubs.values()) await hub.close()
  }
}

/** `--grid 8,16:16M,32M` → hfx with every connections × chunk-size pair. */
function sweepContenders(grid: string): Contender[] {
  const [conns, chunks] = grid.split(':').map((list) => list.split(','))
  return conns.flatMap((c) => chunks.map((k) => hfx(['-c', c, '--chunk-size', k], `hfx -c ${c} --chunk-size ${k}`)))
}

/** HTTPS rows first and marked: the real Hub is HTTPS, so those are the figures targets are judged by. */
function table(rows: Row[]): string {
  const lines = ['| scenario | transport | contender | MB/s | CPU s/GB | peak RSS MB | vs aria2c | vs curl |', '|---|---|---|---:|---:|---:|---:|---:|']
  for (const r of rows) {
    const peer = (name: string) => rows.find((x) => x.scenario === r.scenario && x.transport === r.transport && x.contender === name)
    const ratio = (name: string) => (peer(name) && r.contender !== name ? `${(r.mbps / peer(name)!.mbps).toFixed(2)}×` : '')
    const transport = r.transport === 'https' ? '**https**' : 'http'
    lines.push(`| ${r.scenario} | ${transport} | ${r.contender} | ${r.mbps.toFixed(0)} | ${r.cpuSPerGB.toFixed(2)} | ${r.maxRssMB.toFixed(0)} | ${ratio('aria2c')} | ${ratio('curl')} |`)
  }
  return lines.join('\n')
}

/** "hfx TLSv1.3 TLS_AES_256_GCM_SHA384; curl …": what each contender negotiated, so a cheaper cipher shows. */
function ciphers(rows: Row[]): string | undefined {
  const seen = new Map<string, string>()
  for (const r of rows) if (r.tls && !seen.has(r.contender)) seen.set(r.contender, r.tls)
  return seen.size ? `TLS negotiated: ${[...seen].map(([c, t]) => `${c} ${t}`).join('; ')}` : undefined
}

async function main(): Promise<void> {
  ensureTools()
  const workRoot = await mkdtemp(path.join(os.tmpdir(), 'hfx-bench-'))
  const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / GiB_).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
  const started = Date.now()
  const rows: Row[] = []
  try {
    const contenders: Contender[] = flag('--sweep')
      ? sweepContenders(option('--grid', '4,8,16:8M,16M,64M'))
      : [hfx(), aria2c, curl]
    for (const s of SCENARIOS) {
      if (ONLY.length && !ONLY.includes(s.id)) continue
      process.stderr.write(`${s.id}: ${PAYLOADS[s.payload].title}, ${LINKS[s.link].title}\n`)
      rows.push(...(await runScenario(s.id, s.link, s.payload, contenders, workRoot)))
    }
    const counting = countingTransport(TRANSPORTS)
    const resume = flag('--skip-resume') || flag('--sweep') ? undefined : await measureResume(workRoot, SCALE, counting)
    const info = flag('--skip-info') || flag('--sweep') ? undefined : await measureInfo(counting)
    const mainThread = flag('--skip-main-thread') || flag('--sweep') ? undefined : await measureMainThread(workRoot, SCALE, ROUNDS, counting)
    const negotiated = ciphers(rows)
    const out = [
      `machine: ${machine}`,
      `rounds: ${ROUNDS}, scale: ${SCALE}, transports: ${TRANSPORTS.join(', ')}, took ${((Date.now() - started) / 1000).toFixed(0)} s`,
      ...(negotiated ? [negotiated] : []),
      '',
      table(rows),
      ...(resume || info || mainThread ? ['', `resume, info and main thread over ${counting.toUpperCase()}:`] : []),
      ...(info ? ['', `info (163 shards, 20 ms latency): ${info.wallS.toFixed(2)} s, ${(info.bytesRead / 1e3).toFixed(0)} kB read in ${info.fileRequests} file requests (${info.hubRequests} requests in all)`] : []),
      ...(mainThread
        ? [
            '',
            `threads (${(mainThread.bytes / GiB_).toFixed(2)} GiB on loopback), CPU s/GB of the main thread / the busiest thread / the whole process:`,
            ...Object.entries(VARIANTS).map(([v, { label }]) => {
              const m = mainThread[v as keyof typeof VARIANTS]
              return `  ${label}: ${m.mainSPerGB.toFixed(2)} / ${m.busiestSPerGB.toFixed(2)} (${m.busiest}) / ${m.totalSPerGB.toFixed(2)}`
            }),
            `one process tops out near ${(1000 / mainThread.receiving.busiestSPerGB).toFixed(0)} MB/s with receive threads when cores are free (${(1000 / mainThread.hashing.busiestSPerGB).toFixed(0)} without)`,
          ]
        : []),
      ...(resume ? ['', `resume (b-d, killed at ${(resume.killedAtFraction * 100).toFixed(0)} %): re-run fetched ${(resume.refetchedBytes / 1e6).toFixed(1)} MB more than the file size; bound ${(resume.boundBytes / 1e6).toFixed(0)} MB (one chunk per connection)`] : []),
      ...(flag('--sweep') ? [] : ['', ...targetLines(rows, mainThread)]),
    ].join('\n')
    process.stdout.write(`${out}\n`)
    const results = path.join(here, 'results')
    await mkdir(results, { recursive: true })
    const json = JSON.stringify({ machine, rounds: ROUNDS, scale: SCALE, transports: TRANSPORTS, counting, date: new Date().toISOString(), rows, resume, info, mainThread }, null, 2)
    await writeFile(path.join(results, 'latest.json'), json)
    process.stderr.write(`wrote ${path.join(results, 'latest.json')}\n`)
  } finally {
    await rm(workRoot, { recursive: true, force: true })
  }
}

const GiB_ = 1024 ** 3
await main()
