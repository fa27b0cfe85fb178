// Resume efficiency: kill hfx with SIGKILL half-way through a large file on the CDN-like link, run it
// again, and count from the emulator's byte counters how much the second run fetched beyond the missing part.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { startHub } from '../test/emulator/index.js'
import { HFX } from './contenders.js'
import { LINKS, PAYLOADS } from './scenarios.js'
import { hubOptions, trustEnv, type Transport } from './transport.js'
import { PULL_DEFAULTS } from '../src/pull/defaults.js'

export interface ResumeResult {
  size: number
  killedAtFraction: number
  firstRunBytes: number
  secondRunBytes: number
  /** Bytes served in total beyond the file's size: what the kill cost. */
  refetchedBytes: number
  boundBytes: number
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [HFX, ...args], { env, stdio: 'ignore' })
  return { child, done: new Promise<number | null>((r) => child.on('close', (code) => r(code))) }
}

export async function measureResume(workRoot: string, scale: number, transport: Transport): Promise<ResumeResult> {
  const hub = await startHub(hubOptions(transport))
  const home = await mkdtemp(path.join(workRoot, 'resume-'))
  try {
    hub.throttle(LINKS.b.throttle)
    const files = PAYLOADS.d.files(scale)
    hub.addRepo('bench/resume', files)
    const size = (Object.values(files)[0] as { content: Buffer }).content.length
    const env = { ...trustEnv(hub.caFile), HF_ENDPOINT: hub.url, HF_HOME: home, HF_HUB_DISABLE_PROGRESS_BARS: '1' }
    const first = run(['pull', 'bench/resume', '--quiet'], env)
    while (hub.bytesServed() < size / 2) await new Promise((r) => setTimeout(r, 10))
    const killedAtFraction = hub.bytesServed() / size
    first.child.kill('SIGKILL')
    await first.done
    const firstRunBytes = hub.bytesServed()
    hub.resetLog()
    const code = await run(['pull', 'bench/resume', '--quiet'], env).done
    if (code !== 0) throw new Error(`resumed pull exited ${code}`)
    const secondRunBytes = hub.bytesServed()
    return {
      size,
      killedAtFraction,
      firstRunBytes,
      secondRunBytes,
      refetchedBytes: firstRunBytes + secondRunBytes - size,
      boundBytes: PULL_DEFAULTS.connections * PULL_DEFAULTS.chunkSize,
    }
  } finally {
    await hub.close()
    await rm(home, { recursive: true, force: true })
  }
}
