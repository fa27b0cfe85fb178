// hfx pull: flags → PullRequest, a reporter for where the output goes, the pull, and the result on stdout.
// Interrupts become an InterruptedError whose hint is the command that resumes; cli.ts prints it.
import os from 'node:os'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { parseByteRate, RATE_FORMS } from '../byte-rate.js'
import { expandUser } from '../expand-path.js'
import { InterruptedError, toHfxError, UsageError, type HfxError } from '../errors.js'
import { DEFAULT_LOCK_FILE } from '../lock/lockfile.js'
import { pull } from '../pull/index.js'
import { PULL_DEFAULTS } from '../pull/defaults.js'
import { outputMode } from '../report/choose.js'
import { stderrChalk } from '../report/color.js'
import { parseMemorySize } from '../summary/fit-budget.js'
import { DryRunReporter } from '../report/dry-run.js'
import { JsonReporter } from '../report/json.js'
import { LineReporter, SilentReporter } from '../report/lines.js'
import type { Reporter } from '../pull/reporter.js'
import { resumeCommand } from '../report/resume-command.js'
import { CountingReporter } from '../report/counting.js'
import { CiLineReporter } from '../report/ci-lines.js'
import { StepSummaryReporter } from '../report/step-summary-file.js'
import { TtyReporter } from '../report/tty.js'
import { hubNameOf } from '../repo/hub-name.js'
import { lazyMirrorHub, openSession, settingsFor } from '../session.js'
import { ciFrom, mirrorUrls, processEnv, type CiService } from '../settings.js'
import { conflictIn, PULL_CONFLICTS } from './flag-conflicts.js'
import { addHfDownloadFlags, hfDownloadNotes, type HfDownloadFlags } from './hf-download-flags.js'
import { onInterrupt } from './interrupt.js'
import { pullLockedCommand, type LockedPullFlags } from './pull-locked.js'
import { addRepoOptions, addSelectOptions, repoRefFrom, type RepoFlags } from './repo-options.js'

interface PullFlags extends RepoFlags, HfDownloadFlags {
  include?: string[]
  exclude?: string[]
  localDir?: string
  maxFiles: number
  connections: number
  chunkSize: number
  limitRate?: number
  dryRun?: boolean
  forceDownload?: boolean
  quiet?: boolean
  json?: boolean
  locked?: true | string
  fit?: number
  mirror?: string[]
}

/**
 * stdout carries the result (the path, the dry-run plan, or JSON events); stderr carries progress. In CI the
 * plain lines are folded per repo (a terminal in CI keeps its bars); on GitHub the step summary is written
 * whatever the printer, since it goes to a file of its own (--json's stdout stays the same).
 */
function reporterFor(flags: PullFlags): Reporter {
  const ci = ciFrom(processEnv())
  const printer = printerFor(flags, ci.ci)
  return ci.stepSummary && !flags.dryRun ? new StepSummaryReporter(printer, ci.stepSummary) : printer
}

function printerFor(flags: PullFlags, ci: CiService | undefined): Reporter {
  const mode = outputMode({ json: flags.json, quiet: flags.quiet, stderrIsTTY: Boolean(process.stderr.isTTY), env: processEnv() })
  if (mode === 'json') return new JsonReporter()
  if (flags.dryRun) return new DryRunReporter()
  if (mode === 'silent') return new SilentReporter()
  if (mode === 'lines') return ci ? new CiLineReporter(ci) : new LineReporter()
  return new TtyReporter(process.stderr, stderrChalk(), { pathOnStdout: Boolean(process.stdout.isTTY) && !flags.quiet })
}

/** `progress`: how far the pull got ("210 MB of 268 MB"), once it has a plan. */
function interrupted(cause: unknown, progress?: string): InterruptedError {
  const resume = resumeCommand(process.argv.slice(2))
  const notes = [
    resume.droppedToken && 'pass the token again with --token, or set HF_TOKEN',
    resume.maskedPassword && 'put the password back in place of ***',
  ].filter(Boolean)
  return new InterruptedError(`interrupted${progress ? ` at ${progress}` : ''}; partial downloads are kept.`, `Resume with: ${resume.command}${notes.length ? ` (${notes.join('; ')})` : ''}`, { cause })
}

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

/** --locked: one reporter per repo of the lock; a Ctrl-C closes the current one and names the resume command. */
async function runLocked(repo: string | undefined, files: string[], flags: PullFlags & LockedPullFlags): Promise<void> {
  let current: CountingReporter | undefined
  const interrupt = onInterrupt({ beforeExit: () => current?.close(interrupted(undefined, current.progressText())) })
  try {
    await pullLockedCommand(repo, files, flags, { reporter: () => new CountingReporter(reporterFor(flags)), signal: interrupt.signal, interrupted, current: (r) => (current = r) })
  } finally {
    interrupt.dispose()
  }
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
      const flags = self.optsWithGlobals<PullFlags>()
      const conflict = conflictIn(PULL_CONFLICTS, (key) => self.getOptionValueSourceWithGlobals(key) === 'cli')
      if (conflict) throw conflict
      for (const note of hfDownloadNotes(flags)) process.stderr.write(`${note}\n`)
      if (flags.locked !== undefined) return runLocked(repo, files, { ...flags, locked: flags.locked })
      if (repo === undefined) throw new UsageError("missing required argument 'repo'.", 'Name the repo to pull (org/name), or pull what a lockfile pins with --locked.')
      const report = new CountingReporter(reporterFor(flags))
      // A second Ctrl-C exits at once: the bars must give the cursor back, and --json gets its last event.
      const interrupt = onInterrupt({ beforeExit: () => report.close(interrupted(undefined, report.progressText())) })
      let failure: HfxError | undefined
      try {
        const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'), true)
        if (ref.variant !== undefined && flags.fit !== undefined) {
          throw new UsageError(`'${repo}' names the variant ':${ref.variant}' and --fit asks hfx to choose one.`, 'Give either the :TAG or --fit, not both.')
        }
        const hubName = hubNameOf(flags, ref)
        if (hubName === 'modelscope' && flags.mirror?.length) {
          throw new UsageError('--mirror takes Hugging Face mirrors; a ModelScope repo is pulled from ModelScope only.', 'Leave out --mirror for this repo.')
        }
        const session = await openSession(flags, hubName, {
          signal: interrupt.signal,
          onRetry: (n) => report.retrying(n),
          // The pull caps Range requests in flight at PULL_DEFAULTS.maxRequests; the pool needs no more.
          connections: Math.max(PULL_DEFAULTS.maxRequests, flags.connections),
        })
        // ModelScope as a mirror (`ms://`): its own client, endpoint and token, opened when first asked of.
        const modelscope = lazyMirrorHub(flags, 'modelscope', interrupt.signal)
        try {
          const summary = await pull(
            {
              ref,
              select: { files: files.length ? files : ref.path ? [ref.path] : undefined, include: flags.include, exclude: flags.exclude },
              // `~` only, as huggingface_hub 2.0 does with Path(local_dir).expanduser() (`--local-dir=~/x` reaches us as typed).
              localDir: flags.localDir === undefined ? undefined : expandUser(flags.localDir, os.homedir()),
              maxFiles: flags.maxWorkers ?? flags.maxFiles,
              connections: flags.connections,
              chunkSize: flags.chunkSize,
              limitRate: flags.limitRate ?? session.settings.limitRate,
              dryRun: Boolean(flags.dryRun),
              refetch: Boolean(flags.forceDownload),
              fitBytes: flags.fit,
              mirrors: [...(session.settings.mirrors ?? []), ...(flags.mirror ?? [])],
            },
            {
              hub: async () => session.hub,
              cacheDir: session.settings.cacheDir,
              offline: session.settings.offline,
              offlineVar: session.settings.offlineVar,
              report,
              signal: interrupt.signal,
              hashThreads: session.settings.hashThreads,
              lockPatienceMs: session.settings.lockPatienceMs,
              downloadTimeoutMs: session.settings.downloadTimeoutMs,
              modelscope: modelscope.hub,
            },
          )
          if (!flags.dryRun && !flags.json) process.stdout.write(`${summary.path}\n`)
        } finally {
          await modelscope.close()
          await session.close()
        }
      } catch (err) {
        const e = interrupt.signal.aborted ? interrupted(err, report.progressText()) : err
        // cli.ts prints the text; with --json the same error also ends the event stream.
        failure = toHfxError(e)
        throw e
      } finally {
        report.close(failure)
        interrupt.dispose()
      }
    })
}
