// The local GPUs, as nvidia-smi reports them: `hfx info --fit` with no size asks the machine it runs on.
// nvidia-smi counts memory in MiB (2^20 bytes); `nounits` leaves the bare number.
import { execFile } from 'node:child_process'
import { UsageError } from '../errors.js'

export interface LocalGpu {
  name: string
  bytes: number
}

export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits']
/** nvidia-smi answers in well under a second; a wedged driver should not hang `hfx info`. */
const NVIDIA_SMI_TIMEOUT_MS = 15_000

/** "NVIDIA H100 80GB HBM3, 81559" per line → name and bytes; lines that do not parse are skipped. */
export function parseNvidiaSmi(stdout: string): LocalGpu[] {
  const gpus: LocalGpu[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const comma = line.lastIndexOf(',')
    if (comma < 0) continue
    const mib = Number(line.slice(comma + 1).trim())
    if (Number.isFinite(mib) && mib > 0) gpus.push({ name: line.slice(0, comma).trim(), bytes: mib * 2 ** 20 })
  }
  return gpus
}

const HINT = 'Give the memory per GPU instead: --fit 80GiB, or --gpu H100 (see hfx info --help).'

export function readLocalGpus(): Promise<LocalGpu[]> {
  return new Promise((resolve, reject) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: NVIDIA_SMI_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
        const why = missing ? 'nvidia-smi is not on PATH' : `nvidia-smi failed: ${err.message.split('\n')[0]}`
        reject(new UsageError(`--fit without a size reads the local GPUs, but ${why}.`, HINT, { cause: err }))
        return
      }
      const gpus = parseNvidiaSmi(stdout)
      if (gpus.length === 0) reject(new UsageError('--fit without a size reads the local GPUs, but nvidia-smi listed none.', HINT))
      else resolve(gpus)
    })
  })
}
