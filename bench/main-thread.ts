// Main-thread CPU per GB of a pull, and the busiest thread of all, in three set-ups: everything on the main
// thread (HFX_HASH_THREADS=0), the hash on worker threads (what a host of fewer than 4 cores runs), and the
// hash and the receiving on worker threads (HFX_RECEIVE_THREADS=2, what a host of 8 or more cores runs). On a
// machine with cores to spare (a GPU host), one busy thread caps a Node process long before the total CPU
// does; the scenarios' CPU s/GB cannot show that on 2 cores. Read from /proc/<pid>/task/<tid>/stat, each
// thread's own utime + stime, polled while the pull runs.
import { execFileSync, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { startHub, type Hub } from '../test/emulator/index.js'
import { HFX } from './contenders.js'
import { median } from './measure.js'
import { GiB, sharedBytes } from './scenarios.js'
import { hubOptions, trustEnv, type Transport } from './transport.js'

export interface MainThreadResult {
  bytes: number
  /** Median CPU seconds per GB: the main thread alone, the busiest thread (and its name), the whole process. */
  inline: PerGB
  /** The hash on worker threads, the receiving on the main thread. */
  hashing: PerGB
  /** The hash and the receiving on worker threads: the ceiling figure. */
  receiving: PerGB
}

/** The set-ups: what the report calls each, and the variables that make it. */
export const VARIANTS = {
  inline: { label: 'everything on the main thread', env: { HFX_HASH_THREADS: '0', HFX_RECEIVE_THREADS: '0' } },
  hashing: { label: 'hash threads', env: { HFX_RECEIVE_THREADS: '0' } },
  receiving: { label: 'hash and 2 receive threads', env: { HFX_RECEIVE_THREADS: '2' } },
} as const
type Variant = keyof typeof VARIANTS

interface PerGB {
  mainSPerGB: number
  busiestSPerGB: number
  busiest: string
  totalSPerGB: number
}

interface Pulled {
  main: number
  total: number
  /** CPU seconds of every thread seen, by "tid name". */
  threads: Map<string, number>
}

/** utime + stime in seconds from a /proc stat line (fields 14 and 15, counted after the command name). */
function cpuSeconds(statFile: string, ticks: number): number | undefined {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticks
  } catch {
    return undefined // the process has exited
  }
}

async function pullOnce(hub: Hub, home: string, variant: Variant, ticks: number): Promise<Pulled> {
  const env: NodeJS.ProcessEnv = { ...trustEnv(hub.caFile), HF_ENDPOINT: hub.url, HF_HOME: home, HF_HUB_DISABLE_PROGRESS_BARS: '1' }
  delete env.HFX_HASH_THREADS
  delete env.HFX_RECEIVE_THREADS
  Object.assign(env, VARIANTS[variant].env)
  const child = spawn(process.execPath, [HFX, 'pull', 'bench/main-thread', '--quiet'], { env, stdio: 'ignore' })
  const pid = child.pid!
  let main = 0
  let total = 0
  const threads = new Map<string, number>()
  const poll = setInterval(() => {
    main = cpuSeconds(`/proc/${pid}/task/${pid}/stat`, ticks) ?? main
    total = cpuSeconds(`/proc/${pid}/stat`, ticks) ?? total
    let tids: string[] = []
    try {
      tids = readdirSync(`/proc/${pid}/task`)
    } catch {
      return // exited
    }
    for (const tid of tids) {
      const cpu = cpuSeconds(`/proc/${pid}/task/${tid}/stat`, ticks)
      if (cpu === undefined) continue
      const name = tid === String(pid) ? 'main' : threadName(pid, tid)
      threads.set(`${tid} ${name}`, cpu)
    }
  }, 10)
  const code = await new Promise<number | null>((r) => child.on('close', r))
  clearInterval(poll)
  if (code !== 0) throw new Error(`hfx pull exited ${code}`)
  return { main, total, threads }
}

function threadName(pid: number, tid: string): string {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
  } catch {
    return '?'
  }
}

export async function measureMainThread(workRoot: string, scale: number, rounds: number, transport: Transport): Promise<MainThreadResult> {
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
  const hub = await startHub(hubOptions(transport))
  try {
    const bytes = Math.round(GiB * scale) // 1 GiB at scale 1, on loopback: the fastest the bytes can come
    hub.addRepo('bench/main-thread', { 'model.safetensors': { content: sharedBytes(bytes), lfs: true } })
    const samples: Record<Variant, Pulled[]> = { inline: [], hashing: [], receiving: [] }
    const variants = Object.keys(VARIANTS) as Variant[]
    for (let round = 0; round < rounds; round++) {
      // Rotated each round (A B C, B C A, C A B), as the scenarios are.
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!)
      for (const variant of order) {
        const home = await mkdtemp(path.join(workRoot, 'main-thread-'))
        try {
          samples[variant].push(await pullOnce(hub, home, variant, ticks))
        } finally {
          await rm(home, { recursive: true, force: true })
        }
      }
    }
    const gb = bytes / 1e9
    const busiestOf = (x: Pulled) => [...x.threads].reduce((a, b) => (b[1] > a[1] ? b : a), ['?', 0] as [string, number])
    const perGB = (xs: Pulled[]): PerGB => {
      const busiest = xs.map(busiestOf)
      const mid = median(busiest.map(([, cpu]) => cpu))
      return {
        mainSPerGB: median(xs.map((x) => x.main)) / gb,
        busiestSPerGB: mid / gb,
        busiest: busiest.find(([, cpu]) => cpu === mid)?.[0].replace(/^\d+ /, '') ?? '?',
        totalSPerGB: median(xs.map((x) => x.total)) / gb,
      }
    }
    return { bytes, inline: perGB(samples.inline), hashing: perGB(samples.hashing), receiving: perGB(samples.receiving) }
  } finally {
    await hub.close()
  }
}
