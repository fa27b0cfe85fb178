// The tools a user would pick instead of hfx, each downloading the same files to the same filesystem.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { trustEnv } from './transport.js'

export const HFX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/hfx.js')

export interface Job {
  endpoint: string
  repo: string
  files: string[]
  /** A fresh, empty folder for this run. */
  dir: string
  /** Over HTTPS: the CA (PEM) that signed the emulator's certificate, for the contender to trust. */
  caFile?: string
}

export interface Contender {
  name: string
  /** The command line, given the job; may write an input file into job.dir first. */
  command(job: Job): Promise<{ cmd: string; args: string[]; env: NodeJS.ProcessEnv }>
}

const resolveUrl = (job: Job, file: string) => `${job.endpoint}/${job.repo}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`

export const hfx = (extra: string[] = [], name = 'hfx'): Contender => ({
  name,
  async command(job) {
    return {
      cmd: process.execPath,
      args: [HFX, 'pull', job.repo, '--quiet', ...extra],
      env: { ...trustEnv(job.caFile), HF_ENDPOINT: job.endpoint, HF_HOME: job.dir, HF_HUB_DISABLE_PROGRESS_BARS: '1' },
    }
  },
})

/** curl, one stream, following the redirect to the CDN, files one after another on one connection. */
export const curl: Contender = {
  name: 'curl',
  async command(job) {
    const args = ['-sS', '-L', '--fail', '--create-dirs', ...(job.caFile ? ['--cacert', job.caFile] : [])]
    for (const f of job.files) args.push('-o', path.join(job.dir, f), resolveUrl(job, f))
    return { cmd: 'curl', args, env: process.env }
  },
}

/** aria2c as hfd.sh runs it: 16 connections per file, 4 MiB pieces, 16 files at once. */
export const aria2c: Contender = {
  name: 'aria2c',
  async command(job) {
    await mkdir(job.dir, { recursive: true })
    const input = path.join(job.dir, '.aria2-input.txt')
    await writeFile(input, job.files.map((f) => `${resolveUrl(job, f)}\n  out=${f}\n`).join(''))
    return {
      cmd: 'aria2c',
      args: ['-x16', '-s16', '-k4M', '-j16', '--file-allocation=none', '--allow-overwrite=true', '--auto-file-renaming=false',
        '--console-log-level=warn', '--summary-interval=0', '--download-result=hide', '-d', job.dir, '-i', input,
        ...(job.caFile ? [`--ca-certificate=${job.caFile}`] : [])],
      env: process.env,
    }
  },
}
