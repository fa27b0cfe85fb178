// What `hfx pull` does once commander has parsed it (commands/pull.ts): flags → PullRequest, a reporter for
// where the output goes, the pull, and the result on stdout. Interrupts become an InterruptedError whose hint
// is the command that resumes; cli.ts prints it. Loaded only when a pull runs.
import os from 'node:os'
import type { Command } from 'commander'
import { expandUser } from '../expand-path.js'
import { InterruptedError, toHfxError, UsageError, type HfxError } from '../errors.js'
import { pull } from '../pull/index.js'
import { MIRROR_CONNECT_TIMEOUT_MS, PULL_DEFAULTS } from '../pull/defaults.js'
import type { Reporter } from '../pull/reporter.js'
import { outputMode } from '../report/choose.js'
import { CountingReporter } from '../report/counting.js'
import { resumeCommand } from '../report/resume-command.js'
import { hubNameOf } from '../repo/hub-name.js'
import { lazyMirrorHub, openSession, settingsFor } from '../session.js'
import { ciFrom, processEnv, type CiService } from '../settings.js'
import { conflictIn, PULL_CONFLICTS } from './flag-conflicts.js'
import { hfDownloadNotes, type HfDownloadFlags } from './hf-download-flags.js'
import { onInterrupt } from './interrupt.js'
import type { LockedPullFlags } from './pull-locked.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'

export interface PullFlags extends RepoFlags, HfDownloadFlags {
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
 * whatever the printer, since it goes to a file of its own (--json's stdout stays the same). Only the printer
 * picked is loaded: the bars (cli-progress, chalk) cost a pull that is not on a terminal ~25 ms of start-up.
 */
async function printerFactory(flags: PullFlags): Promise<() => Reporter> {
  const ci = ciFrom(processEnv())
  const printer = await printerFor(flags, ci.ci)
  if (!ci.stepSummary || flags.dryRun) return printer
  const { StepSummaryReporter } = await import('../report/step-summary-file.js')
  const file = ci.stepSummary
  return () => new StepSummaryReporter(printer(), file)
}

async function printerFor(flags: PullFlags, ci: CiService | undefined): Promise<() => Reporter> {
  const mode = outputMode({ json: flags.json, quiet: flags.quiet, stderrIsTTY: Boolean(process.stderr.isTTY), env: processEnv() })
  if (mode === 'json') {
    const { JsonReporter } = await import('../report/json.js')
    return () => new JsonReporter()
  }
  if (flags.dryRun) {
    const { DryRunReporter } = await import('../report/dry-run.js')
    return () => new DryRunReporter()
  }
  if (mode === 'tty') {
    const [{ TtyReporter }, { stderrChalk }] = await Promise.all([import('../report/tty.js'), import('../report/color.js')])
    return () => new TtyReporter(process.stderr, stderrChalk(), { pathOnStdout: Boolean(process.stdout.isTTY) && !flags.quiet })
  }
  const { LineReporter, SilentReporter } = await import('../report/lines.js')
  if (mode === 'silent') return () => new SilentReporter()
  if (!ci) return () => new LineReporter()
  const { CiLineReporter } = await import('../report/ci-lines.js')
  return () => new CiLineReporter(ci)
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

/** --locked: one reporter per repo of the lock; a Ctrl-C closes the current one and names the resume command. */
async function runLocked(repo: string | undefined, files: string[], flags: PullFlags & LockedPullFlags): Promise<void> {
  let current: CountingReporter | undefined
  const [printer, { pullLockedCommand }] = await Promise.all([printerFactory(flags), import('./pull-locked.js')])
  const interrupt = onInterrupt({ beforeExit: () => current?.close(interrupted(undefined, current.progressText())) })
  try {
    await pullLockedCommand(repo, files, flags, { reporter: () => new CountingReporter(printer()), signal: interrupt.signal, interrupted, current: (r) => (current = r) })
  } finally {
    interrupt.dispose()
  }
}

export async function runPull(repo: string | undefined, files: string[], self: Command): Promise<void> {
  const flags = self.optsWithGlobals<PullFlags>()
  const conflict = conflictIn(PULL_CONFLICTS, (key) => self.getOptionValueSourceWithGlobals(key) === 'cli')
  if (conflict) throw conflict
  for (const note of hfDownloadNotes(flags)) process.stderr.write(`${note}\n`)
  if (flags.locked !== undefined) return runLocked(repo, files, { ...flags, locked: flags.locked })
  if (repo === undefined) throw new UsageError("missing required argument 'repo'.", 'Name the repo to pull (org/name), or pull what a lockfile pins with --locked.')
  const report = new CountingReporter((await printerFactory(flags))())
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
    const modelscope = lazyMirrorHub(flags, 'modelscope', interrupt.signal, MIRROR_CONNECT_TIMEOUT_MS)
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
          receiveThreads: session.settings.receiveThreads,
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
}
