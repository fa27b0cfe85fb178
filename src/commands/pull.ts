// hfx pull's flags and help; what a pull does is in pull-run.ts, loaded only when one runs.
import { InvalidArgumentError, Option, type Command } from 'commander'
import { parseByteRate, RATE_FORMS } from '../byte-rate.js'
import { DEFAULT_LOCK_FILE } from '../lock/lockfile.js'
import { PULL_DEFAULTS } from '../pull/defaults.js'
import { parseMemorySize } from '../summary/fit-budget.js'
import { mirrorUrls } from '../settings.js'
import { addHfDownloadFlags } from './hf-download-flags.js'
import type { PullFlags } from './pull-run.js'
import { addRepoOptions, addSelectOptions } from './repo-options.js'

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`)
    return n
  }
}

function rateArg(value: string): number {
  const rate = parseByteRate(value)
  if (rate === undefined) throw new InvalidArgumentError(`${RATE_FORMS}.`)
  return rate
}

function collectMirror(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...mirrorUrls([value], '--mirror')]
}

function sizeArg(value: string): number {
  const m = /^(\d+)\s*([kmg]i?b?)?$/i.exec(value.trim())
  if (!m) throw new InvalidArgumentError('expected a size such as 16M or 64MiB.')
  const unit = (m[2] ?? '').toLowerCase()[0]
  const n = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1)
  if (n < 64 * 1024) throw new InvalidArgumentError('the chunk size must be at least 64K.')
  return n
}

export function pullCommand(program: Command): void {
  const cmd = program
    .command('pull')
    .description('download a repo (or some of its files) into the Hugging Face cache, verified and resumable')
    .argument('[repo]', 'org/name[@rev][:QUANT], datasets/org/name, hf://… or a huggingface.co URL (with --locked: a repo of the lock)')
    .argument('[files...]', 'only these files (paths or globs)')
  addRepoOptions(cmd)
  addHfDownloadFlags(cmd, positiveInt(64))
  addSelectOptions(cmd)
    .option('--local-dir <dir>', 'write plain files into this folder instead of the cache')
    .option('-j, --max-files <n>', 'files downloaded at the same time (hf download: --max-workers)', positiveInt(64), PULL_DEFAULTS.maxFiles)
    .option('-c, --connections <n>', 'parallel Range requests within one large file', positiveInt(64), PULL_DEFAULTS.connections)
    .addOption(new Option('--chunk-size <size>', 'bytes per Range request').argParser(sizeArg).default(PULL_DEFAULTS.chunkSize, `${PULL_DEFAULTS.chunkSize / 1024 ** 2}M`))
    .option('--limit-rate <rate>', 'cap the whole pull at this many bytes per second, e.g. 50M, 500K (default: $HFX_LIMIT_RATE, else none)', rateArg)
    .option('--fit <size>', 'fetch only the largest weight variant (GGUF quant) that fits this much memory, e.g. 24GiB (G/GB = 10^9 bytes, Gi/GiB = 2^30, as for hfx info --fit)', parseMemorySize)
    .option('--mirror <url>', 'fetch file bytes from this Hub-compatible endpoint (or ms:// for ModelScope) first, verified against the Hub\'s hashes (repeatable; added to $HFX_MIRRORS)', collectMirror)
    .option('-n, --dry-run', 'show what would be downloaded, download nothing')
    .option('--force-download', 'fetch every selected file again, even if cached; each old copy is replaced only once the new one is verified')
    .option('-q, --quiet', 'print only the result on stdout: the snapshot path')
    .option('--json', 'newline-delimited JSON events on stdout instead of text (schema in the README)')
    .option('--locked [file]', `exactly the files and commits a lockfile pins (default: ./${DEFAULT_LOCK_FILE}): every repo of it, or [repo]`)
    .addHelpText(
      'after',
      `
Examples:
  hfx pull Qwen/Qwen2.5-0.5B                          the whole repo into the cache
  MODEL=$(hfx pull Qwen/Qwen2.5-0.5B --quiet)         the snapshot path, for scripts
  hfx pull deepseek-ai/DeepSeek-V3 --include '*.json' --include '*.safetensors'
  hfx pull meta-llama/Llama-3.1-8B original/params.json --local-dir ./llama
  hfx pull datasets/HuggingFaceFW/fineweb --include 'sample/10BT/*'
  hfx pull --locked                                   every repo ./hfx.lock pins; no API call, none at all when cached
  hfx pull unsloth/Qwen3-8B-GGUF:Q4_K_M                just that quantization (split files and all)
  hfx pull unsloth/Qwen3-8B-GGUF --fit 12GiB          the largest quantization that fits 12 GiB
  hfx pull Qwen/Qwen2.5-0.5B --mirror http://cache:8080  bytes from the mirror, hashes from the Hub

Interrupted pulls resume where they stopped: run the same command again.
The global options --token, --cache-dir and --endpoint (below) apply to a pull, as do HF_TOKEN,
HF_HUB_CACHE / HF_HOME and HF_ENDPOINT. With HF_HUB_OFFLINE=1 a pull answers from the cache only
(exit 9 when the cache lacks a file).
--json: events on stdout; a failure ends them with an "error" event and is also printed as error:/hint:
lines on stderr. A usage error (a bad or conflicting flag) comes before any event, on stderr only.`,
    )
    .action(async (repo: string | undefined, files: string[], _opts: PullFlags, self: Command) => {
      // Loaded when a pull runs, so that --help, --version and the other commands do not load the pull engine.
      const { runPull } = await import('./pull-run.js')
      await runPull(repo, files, self)
    })
}
