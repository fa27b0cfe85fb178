// A stand-in for the GitHub Actions runner, for the `run:` steps of action.yml: each step is a script run by
// bash with GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH naming fresh files, and what a step writes to the last two
// reaches the steps after it, as on a runner. Only the two line forms the runner reads are parsed:
// `NAME=value` and the multi-line `NAME<<DELIMITER` … `DELIMITER`.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { collect, type RunResult } from './test.js'

export interface StepResult extends RunResult {
  outputs: Record<string, string>
  /** What the step appended to GITHUB_ENV and GITHUB_PATH, as written. */
  envFile: Record<string, string>
  pathFile: string[]
}

export interface Job {
  /** The job's environment now: the base one, then what earlier steps wrote to GITHUB_ENV and GITHUB_PATH. */
  env: NodeJS.ProcessEnv
  step(script: string, stepEnv?: Record<string, string>): Promise<StepResult>
}

export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name = '', delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
      out[name] = value.join('\n')
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

/** A job whose steps run in `cwd` (the workspace), starting from `env`. */
export function startJob(env: NodeJS.ProcessEnv, cwd: string): Job {
  const job: Job = {
    env: { ...env },
    async step(script, stepEnv = {}) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-step-'))
      const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_ENV: path.join(dir, 'env'), GITHUB_PATH: path.join(dir, 'path') }
      for (const f of Object.values(files)) await writeFile(f, '')
      const child = spawn('bash', [script], { cwd, env: { ...job.env, ...stepEnv, ...files }, stdio: ['ignore', 'pipe', 'pipe'] })
      const result = await collect(child)
      const outputs = parseCommandFile(await readFile(files.GITHUB_OUTPUT, 'utf8'))
      const envFile = parseCommandFile(await readFile(files.GITHUB_ENV, 'utf8'))
      const pathFile = (await readFile(files.GITHUB_PATH, 'utf8')).split('\n').filter(Boolean)
      Object.assign(job.env, envFile)
      // The runner puts each added folder first, the last one added first of all.
      for (const p of pathFile) job.env.PATH = `${p}${path.delimiter}${job.env.PATH ?? ''}`
      return { ...result, outputs, envFile, pathFile }
    },
  }
  return job
}
