// Runs one contender as a child process under GNU time: wall clock from here, CPU seconds and peak RSS
// from the kernel's accounting of the child (so a contender's helper processes are counted too).
import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface Sample {
  wallS: number
  userS: number
  sysS: number
  maxRssMB: number
  code: number | null
}

export async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Sample> {
  const timeFile = path.join(os.tmpdir(), `hfx-bench-time-${process.pid}-${Date.now()}`)
  const started = performance.now()
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, cmd, ...args], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const wallS = (performance.now() - started) / 1000
  const [user, sys, rssKB] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number)
  await rm(timeFile, { force: true })
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`)
  return { wallS, userS: user, sysS: sys, maxRssMB: rssKB / 1024, code }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
