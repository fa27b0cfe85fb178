// hfx cache verify: flags → verifyRepo (cache/verify-repo.ts) → the report on stdout. The Hub listing and,
// with --fix, the pull engine are wired in here; loaded only when verify runs (commands/cache-verify.ts).
import { stat } from 'node:fs/promises'
import os from 'node:os'
import type { Command } from 'commander'
import { localDirProblemsError, verifyLocalDir } from '../cache/verify-local-dir.js'
import { expandUser } from '../expand-path.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { findSnapshot, remainingProblemsError, verifyRepo } from '../cache/verify-repo.js'
import { renderVerifyReport, type VerifyReport } from '../cache/render-verify.js'
import type { Repair } from '../cache/repair-snapshot.js'
import type { Check, Problem } from '../cache/snapshot-check.js'
import { InterruptedError, OfflineError, UsageError } from '../errors.js'
import { collectTree } from '../hub/collect-tree.js'
import { PULL_DEFAULTS } from '../pull/defaults.js'
import { LineReporter } from '../report/lines.js'
import type { RepoRef } from '../repo/repo-ref.js'
import { openSession, settingsFor, type Session } from '../session.js'
import { hubNameOf } from '../repo/hub-name.js'
import { VerifyProgress } from './cache-progress.js'
import { cacheSettings } from './cache-settings.js'
import { onInterrupt } from './interrupt.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'
import { escapeControls, jsonText } from '../escape-controls.js'

export interface VerifyFlags extends RepoFlags {
  localDir?: string
  offline?: boolean
  complete?: boolean
  fix?: boolean
  json?: boolean
}

export async function runCacheVerify(input: string, self: Command): Promise<void> {
  const flags = self.optsWithGlobals<VerifyFlags>()
  const ref = repoRefFrom(input, flags, settingsFor(flags, 'huggingface'))
  const settings = cacheSettings(flags, ref.hub)
  const offline = Boolean(flags.offline) || settings.offline
  if (offline && flags.fix) {
    throw new OfflineError('--fix downloads files again, and hfx is offline.', 'Run it without --offline / HF_HUB_OFFLINE, or check only, without --fix.')
  }
  if (flags.localDir !== undefined) {
    await verifyLocalDirCommand(ref, expandUser(flags.localDir, os.homedir()), flags, offline)
    return
  }
  const found = await findSnapshot(settings.cacheDir, ref)
  await withHub(flags, ref, offline, async (session, signal) => {
    const outcome = await verifyRepo(found, {
      cacheDir: settings.cacheDir,
      complete: Boolean(flags.complete),
      listTree: session && ((commit) => collectTree(session.hub, ref, commit)),
      refetch: flags.fix && session ? (commit, paths) => refetch(ref, commit, paths, settings.cacheDir, session, signal) : undefined,
      progress: verifyProgress,
    })
    printReport(outcome.report, outcome.repair, flags.json)
    const problems = remainingProblemsError(found, outcome, offline)
    if (problems) throw problems
  })
}

/** Runs `use` with a session of the repo's hub (none offline), Ctrl-C turned into InterruptedError, and closes it. */
async function withHub(flags: VerifyFlags, ref: RepoRef, offline: boolean, use: (session: Session | undefined, signal: AbortSignal) => Promise<void>): Promise<void> {
  const interrupt = onInterrupt()
  const session = offline ? undefined : await openSession(flags, hubNameOf(flags, ref), { signal: interrupt.signal })
  try {
    await use(session, interrupt.signal)
  } catch (err) {
    if (interrupt.signal.aborted) throw new InterruptedError('interrupted.', undefined, { cause: err })
    throw err
  } finally {
    interrupt.dispose()
    await session?.close()
  }
}

/** --local-dir: the folder's files against the Hub's listing (or offline, its metadata); --fix pulls the bad ones into it again. */
async function verifyLocalDirCommand(ref: RepoRef, dir: string, flags: VerifyFlags, offline: boolean): Promise<void> {
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new UsageError(`--local-dir ${dir} is not a folder.`)
  await withHub(flags, ref, offline, async (session, signal) => {
    const name = formatRepoRef({ ...ref, revision: undefined, path: undefined })
    const outcome = await verifyLocalDir(dir, {
      name: hubNameOf(flags, ref) === 'modelscope' ? `ms://${name}` : name,
      type: ref.type,
      complete: Boolean(flags.complete),
      // The revision asked for, else the commit the folder was pulled at, else the default branch.
      hub: session && {
        commit: async (pulled) => (ref.revision || !pulled ? (await session.hub.resolveRevision(ref)).commit : pulled),
        listTree: (commit) => collectTree(session.hub, ref, commit),
      },
      progress: verifyProgress,
      refetch: flags.fix && session ? (commit, paths) => refetch({ ...ref, revision: commit }, commit, paths, session.settings.cacheDir, session, signal, dir) : undefined,
    })
    printReport(outcome.report, undefined, flags.json)
    const problems = localDirProblemsError(outcome, dir, offline)
    if (problems) throw problems
  })
}

/** The report on stdout: JSON, or text with the server's paths escaped. */
function printReport(report: VerifyReport, repair: Repair | undefined, json: boolean | undefined): void {
  if (json) process.stdout.write(`${jsonText(report, 2)}\n`)
  else for (const line of renderVerifyReport(report, repair)) process.stdout.write(`${escapeControls(line)}\n`)
}

/** The progress line on stderr while files are hashed. */
function verifyProgress(files: number, bytes: number) {
  const p = new VerifyProgress(files, bytes)
  return { bytes: (n: number) => p.onBytes(n), checked: (c: Check, problem: Problem | undefined) => p.onChecked(c, problem), done: () => p.done() }
}

/** The pull engine fetches what is missing and skips what is in place, so clearing the bad files is enough. */
async function refetch(ref: RepoRef, commit: string, paths: string[], cacheDir: string, session: Session, signal: AbortSignal, localDir?: string): Promise<void> {
  // The pull engine, only for --fix.
  const { pull } = await import('../pull/index.js')
  const report = new LineReporter()
  try {
    await pull(
      { ref: { ...ref, revision: commit, path: undefined }, select: { files: paths }, localDir, maxFiles: PULL_DEFAULTS.maxFiles, connections: PULL_DEFAULTS.connections, chunkSize: PULL_DEFAULTS.chunkSize, dryRun: false },
      { hub: async () => session.hub, cacheDir, offline: false, report, signal, hashThreads: session.settings.hashThreads, receiveThreads: session.settings.receiveThreads, lockPatienceMs: session.settings.lockPatienceMs },
    )
  } finally {
    report.close()
  }
}
