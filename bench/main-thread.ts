// Main-thread CPU per GB of a pull, with the hash on worker threads (the default) and on the main thread
// (HFX_HASH_THREADS=0). On a machine with cores to spare (a GPU host), one busy thread caps a Node process
// long before the total CPU does; the scenarios' CPU s/GB cannot show that on 2 cores. Read from
// /proc/<pid>/task/<pid>/stat, the main thread's own utime + stime, polled while the pull runs.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { startHub, type Hub } from '../test/emulator/index.js'
import { HFX } from './contenders.js'
import { median } from './measure.js'
import { GiB, sharedBytes } from './scenarios.js'
import { hubOptions, trustEnv, type Transport } from './transport.js'

export interface MainThreadResult {
  bytes: number
  /** Median CPU seconds per GB: the main thread alone, and the whole process. */
  workers: { mainSPerGB: number; totalSPerGB: number }
  inline: { mainSPerGB: number; totalSPerGB: number }
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

async function pullOnce(hub: Hub, home: string, threads: string | undefined, ticks: number) {
  const env = { ...trustEnv(hub.caFile), HF_ENDPOINT: hub.url, HF_HOME: home, HF_HUB_DISABLE_PROGRESS_BARS: '1', HFX_HASH_THREADS: threads }
  if (threads === undefined) delete env.HFX_HASH_THREADS
  const child = spawn(process.execPath, [HFX, 'pull', 'bench/main-thread', '--quiet'], { env, stdio: 'ignore' })
  const pid = child.pid!
  let main = 0
  let total = 0
  const poll = setInterval(() => {
    main = cpuSeconds(`/proc/${pid}/task/${pid}/stat`, ticks) ?? main
    total = cpuSeconds(`/proc/${pid}/stat`, ticks) ?? total
  }, 10)
  const code = await new Promise<number | null>((r) => child.on('close', r))
  clearInterval(poll)
  if (code !== 0) throw new Error(`hfx pull exited ${code}`)
  return { main, total }
}

export async function measureMainThread(workRoot: string, scale: number, rounds: number, transport: Transport): Promise<MainThreadResult> {
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
  const hub = await startHub(hubOptions(transport))
  try {
    const bytes = Math.round(GiB * scale) // 1 GiB at scale 1, on loopback: the fastest the bytes can come
    hub.addRepo('bench/main-thread', { 'model.safetensors': { content: sharedBytes(bytes), lfs: true } })
    const samples = { workers: [] as { main: number; total: number }[], inline: [] as { main: number; total: number }[] }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (['inline', 'workers'] as const) : (['workers', 'inline'] as const)
      for (const variant of order) {
        const home = await mkdtemp(path.join(workRoot, 'main-thread-'))
        try {
          samples[variant].push(await pullOnce(hub, home, variant === 'inline' ? '0' : undefined, ticks))
        } finally {
          await rm(home, { recursive: true, force: true })
        }
      }
    }
    const perGB = (xs: { main: number; total: number }[]) => ({
      mainSPerGB: median(xs.map((x) => x.main)) / (bytes / 1e9),
      totalSPerGB: median(xs.map((x) => x.total)) / (bytes / 1e9),
    })
    return { bytes, workers: perGB(samples.workers), inline: perGB(samples.inline) }
  } finally {
    await hub.close()
  }
}
