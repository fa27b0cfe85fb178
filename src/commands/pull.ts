import { InvalidArgumentError, type Command } from 'commander'
import { InterruptedError } from '../errors.js'
import { pull } from '../pull/index.js'
import { LineReporter, SilentReporter } from '../report/lines.js'
import type { Reporter } from '../report/reporter.js'
import { openSession } from '../session.js'
import { addRepoOptions, addSelectOptions, repoRefFrom, type RepoFlags } from './repo-options.js'
import { PULL_DEFAULTS } from '../pull/defaults.js'
import { onInterrupt } from './interrupt.js'

interface PullFlags extends RepoFlags {
  include?: string[]
  exclude?: string[]
  localDir?: string
  maxFiles: number
  connections: number
  chunkSize: number
  dryRun?: boolean
  quiet?: boolean
}

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`)
    return n
  }
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
    .argument('<repo>', 'org/name[@rev], datasets/org/name, hf://… or a huggingface.co URL')
    .argument('[files...]', 'only these files (paths or globs)')
  addRepoOptions(cmd)
  addSelectOptions(cmd)
    .option('--local-dir <dir>', 'write plain files into this folder instead of the cache')
    .option('-j, --max-files <n>', 'files downloaded at the same time', positiveInt(64), PULL_DEFAULTS.maxFiles)
    .option('-c, --connections <n>', 'parallel Range requests within one large file', positiveInt(64), PULL_DEFAULTS.connections)
    .option('--chunk-size <size>', 'bytes per Range request (e.g. 16M)', sizeArg, PULL_DEFAULTS.chunkSize)
    .option('-n, --dry-run', 'show what would be downloaded, download nothing')
    .option('-q, --quiet', 'print only the final path on stdout')
    .addHelpText(
      'after',
      `
Examples:
  hfx pull Qwen/Qwen2.5-0.5B                          the whole repo into the cache
  MODEL=$(hfx pull Qwen/Qwen2.5-0.5B --quiet)         the snapshot path, for scripts
  hfx pull deepseek-ai/DeepSeek-V3 --include '*.json' --include '*.safetensors'
  hfx pull meta-llama/Llama-3.1-8B original/params.json --local-dir ./llama
  hfx pull datasets/HuggingFaceFW/fineweb --include 'sample/10BT/*'

Interrupted pulls resume where they stopped: run the same command again.`,
    )
    .action(async (repo: string, files: string[], _opts: PullFlags, self: Command) => {
      const flags = self.optsWithGlobals<PullFlags>()
      const ref = repoRefFrom(repo, flags)
      const interrupt = onInterrupt()
      const report: Reporter = flags.quiet ? new SilentReporter() : new LineReporter()
      const session = await openSession(flags, {
        signal: interrupt.signal,
        onRetry: (n) => report.retrying(n),
        connections: flags.maxFiles * flags.connections,
      })
      try {
        const summary = await pull(
          {
            ref,
            select: { files: files.length ? files : ref.path ? [ref.path] : undefined, include: flags.include, exclude: flags.exclude },
            localDir: flags.localDir,
            maxFiles: flags.maxFiles,
            connections: flags.connections,
            chunkSize: flags.chunkSize,
            dryRun: Boolean(flags.dryRun),
          },
          { hub: session.io, cacheDir: session.settings.cacheDir, offline: session.settings.offline, report, signal: interrupt.signal },
        )
        if (!flags.dryRun) process.stdout.write(`${summary.path}\n`)
      } catch (err) {
        if (interrupt.signal.aborted) {
          throw new InterruptedError('interrupted; partial downloads are kept.', `Resume with: hfx ${process.argv.slice(2).join(' ')}`, { cause: err })
        }
        throw err
      } finally {
        report.close()
        interrupt.dispose()
        await session.close()
      }
    })
}
