// Start-up of `hfx pull`: the time from spawning the process to its first request reaching the emulator
// (everything before the first byte: Node, module loading, settings, the session), and to its exit, for a
// repo of one small file into a fresh cache. Not part of `npm run bench`; run after `npx tsc -p .`:
//   npx vite-node bench/startup.ts -- --rounds 20
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startHub } from '../test/emulator/index.js'
import { HFX } from './contenders.js'
import { median } from './measure.js'

const args = process.argv.slice(2)
const at = args.indexOf('--rounds')
const ROUNDS = at >= 0 ? Number(args[at + 1]) : 20

const hub = await startHub()
const home = await mkdtemp(path.join(os.tmpdir(), 'hfx-startup-'))
try {
  hub.addRepo('bench/tiny', { 'config.json': '{"model_type":"llama"}' })
  // The log is one array for the hub's lifetime; its first push of a round is the first request.
  let firstAt = 0
  const push = hub.requests.push.bind(hub.requests)
  hub.requests.push = (...items) => {
    if (!firstAt) firstAt = performance.now()
    return push(...items)
  }
  const first: number[] = []
  const exit: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const cache = path.join(home, `cache-${round}`)
    firstAt = 0
    const started = performance.now()
    const child = spawn(process.execPath, [HFX, 'pull', 'bench/tiny', '--quiet'], { env: { ...process.env, HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache }, stdio: 'ignore' })
    const code = await new Promise<number | null>((r) => child.on('close', r))
    if (code !== 0) throw new Error(`hfx pull exited ${code}`)
    first.push(firstAt - started)
    exit.push(performance.now() - started)
  }
  const ms = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`
  process.stdout.write(`hfx pull bench/tiny, ${ROUNDS} rounds\nspawn → first request: ${ms(first)}\nspawn → exit:          ${ms(exit)}\n`)
} finally {
  await hub.close()
  await rm(home, { recursive: true, force: true })
}
