// hfx pull --locked [FILE] [repo]: every repo a lockfile pins (or the one named), exactly its locked files at
// its locked commit. Flags → lock entries → one engine run per entry (pull/locked.ts) → each snapshot path on
// stdout. A session per hub is opened only when an entry has something to fetch, so a warm cache makes no
// request at all, not even a token lookup.
import os from 'node:os'
import path from 'node:path'
import { expandUser } from '../expand-path.js'
import { type HfxError, OfflineError, toHfxError, UsageError } from '../errors.js'
import type { Hub } from '../hub/hub.js'
import { DEFAULT_LOCK_FILE, lockHint, repoLabel, sameRepo, type LockedRepo } from '../lock/lockfile.js'
import { readLock } from '../lock/store.js'
import { MIRROR_CONNECT_TIMEOUT_MS, PULL_DEFAULTS } from '../pull/defaults.js'
import { pullLocked } from '../pull/locked.js'
import type { CountingReporter } from '../report/counting.js'
import { hubNameOf, type HubName } from '../repo/hub-name.js'
import { parseRepoRef } from '../repo/repo-ref.js'
import type { RetryNotice } from '../retry/with-retry.js'
import { lazyMirrorHub, openSession, settingsFor, type Session } from '../session.js'
import type { RepoFlags } from './repo-options.js'

export interface LockedPullFlags extends RepoFlags {
  locked: true | string
  include?: string[]
  exclude?: string[]
  /** pull --fit picks a weight variant; a lock already names the files. */
  fit?: number
  localDir?: string
  maxFiles: number
  maxWorkers?: number
  connections: number
  chunkSize: number
  limitRate?: number
  mirror?: string[]
  dryRun?: boolean
  forceDownload?: boolean
  json?: boolean
}

export interface LockedPullDeps {
  /** A fresh reporter for each repo's pull. */
  reporter(): CountingReporter
  signal: AbortSignal
  /** The error an interrupted pull ends with: it names the command that resumes. */
  interrupted(cause: unknown, progress?: string): HfxError
  /** Where a Ctrl-C finds the reporter to close: the one of the repo being pulled. */
  current(report: CountingReporter): void
}

export async function pullLockedCommand(repo: string | undefined, files: string[], flags: LockedPullFlags, deps: LockedPullDeps): Promise<void> {
  refuseSelection(files, flags)
  const lockName = flags.locked === true ? DEFAULT_LOCK_FILE : flags.locked
  const lock = await readLock(path.resolve(lockName), lockName)
  if (!lock) {
    // `hfx pull --locked org/name` reads org/name as the lockfile: say how to name a repo of the default lock.
    const hint = flags.locked !== true && repo === undefined ? `To pull one repo of ./${DEFAULT_LOCK_FILE}: hfx pull ${flags.locked} --locked` : `Create it with: ${lockHint(lockName, 'add org/name[@revision]')}`
    throw new UsageError(`there is no lockfile at ${lockName}.`, hint)
  }
  const entries = repo === undefined ? lock.repos : [entryFor(repo, flags, lock.repos, lockName)]
  if (flags.localDir !== undefined && entries.length !== 1) {
    throw new UsageError(`--local-dir takes one repo, and ${lockName} pins ${entries.length}.`, `Name the repo to put there: hfx pull org/name --locked ${lockName === DEFAULT_LOCK_FILE ? '' : `${lockName} `}--local-dir DIR`)
  }
  const sessions = new Map<HubName, Promise<Session>>()
  let current: CountingReporter | undefined
  /** The hub of `entry`, its session opened on first use and shared by every entry of that hub. */
  const hubFor = (entry: LockedRepo) => (): Promise<Hub> => {
    const offline = settingsFor(flags, entry.hub).offlineVar
    if (offline) {
      return Promise.reject(new OfflineError(`${repoLabel(entry)} is not complete in the cache for ${lockName}, and ${offline} is set.`, `Unset ${offline} to fetch what is missing.`))
    }
    if (!sessions.has(entry.hub)) {
      const opts = {
        signal: deps.signal,
        // Entries are pulled one by one: a retry belongs to the repo being pulled now.
        onRetry: (n: RetryNotice) => current?.retrying(n),
        connections: Math.max(PULL_DEFAULTS.maxRequests, flags.connections),
      }
      sessions.set(entry.hub, openSession(flags, entry.hub, opts))
    }
    return sessions.get(entry.hub)!.then((s) => s.hub)
  }
  const modelscope = lazyMirrorHub(flags, 'modelscope', deps.signal, MIRROR_CONNECT_TIMEOUT_MS)
  let firstError: unknown
  try {
    for (const entry of entries) {
      current = deps.reporter()
      deps.current(current)
      try {
        await pullEntry(entry, flags, { ...deps, report: current, hub: hubFor(entry), modelscope: modelscope.hub }, lockName)
      } catch (err) {
        // One repo failing does not stop the others (a re-run resumes); an interrupt stops them all.
        if (deps.signal.aborted) throw err
        firstError ??= err
      }
    }
  } finally {
    for (const s of sessions.values()) await (await s.catch(() => undefined))?.close()
    await modelscope.close()
  }
  if (firstError !== undefined) throw firstError
}

interface EntryRun extends Pick<LockedPullDeps, 'signal' | 'interrupted'> {
  report: CountingReporter
  hub: () => Promise<Hub>
  /** ModelScope for `ms://` mirrors. */
  modelscope: () => Promise<Hub>
}

async function pullEntry(entry: LockedRepo, flags: LockedPullFlags, run: EntryRun, lockName: string): Promise<void> {
  const { signal, report, hub, modelscope } = run
  const settings = settingsFor(flags, entry.hub)
  let failure: HfxError | undefined
  try {
    const summary = await pullLocked(
      entry,
      {
        localDir: flags.localDir === undefined ? undefined : expandUser(flags.localDir, os.homedir()),
        maxFiles: flags.maxWorkers ?? flags.maxFiles,
        connections: flags.connections,
        chunkSize: flags.chunkSize,
        limitRate: flags.limitRate ?? settings.limitRate,
        dryRun: Boolean(flags.dryRun),
        refetch: Boolean(flags.forceDownload),
        // The lock's hashes are the Hub's: a mirror's bytes are checked against them as in any pull.
        mirrors: entry.hub === 'huggingface' ? [...(settings.mirrors ?? []), ...(flags.mirror ?? [])] : undefined,
      },
      { hub, cacheDir: settings.cacheDir, offline: settings.offline, offlineVar: settings.offlineVar, report, signal, hashThreads: settings.hashThreads, receiveThreads: settings.receiveThreads, lockPatienceMs: settings.lockPatienceMs, downloadTimeoutMs: settings.downloadTimeoutMs, modelscope },
      lockName,
    )
    if (!flags.dryRun && !flags.json) process.stdout.write(`${summary.path}\n`)
  } catch (err) {
    // With --json, the same error also ends this repo's event stream.
    failure = toHfxError(signal.aborted ? run.interrupted(err, report.progressText()) : err)
    throw failure
  } finally {
    report.close(failure)
  }
}

/** A lock pins the selection and the revision: flags that would change either would break the pin. */
function refuseSelection(files: string[], flags: LockedPullFlags): void {
  const extra = files.length ? 'file names' : flags.include?.length ? '--include' : flags.exclude?.length ? '--exclude' : flags.revision !== undefined ? '--revision' : flags.fit !== undefined ? '--fit' : undefined
  if (extra) {
    const how =
      extra === '--fit'
        ? 'Pin the files of the variant that fits instead: hfx lock add org/name --include GLOB (hfx info org/name --fit SIZE names them), then commit the lock.'
        : extra === '--revision'
          ? 'Change the pin in the lock instead: hfx lock add org/name@revision, then commit the lock.'
          : 'Change the pin in the lock instead: hfx lock add org/name[@revision] --include GLOB, then commit the lock.'
    throw new UsageError(`--locked pulls what the lock pins; ${extra} cannot change it.`, how)
  }
}

function entryFor(repo: string, flags: LockedPullFlags, repos: LockedRepo[], lockName: string): LockedRepo {
  const ref = parseRepoRef(repo, { repoType: flags.repoType, hub: flags.hub })
  if (ref.revision !== undefined || ref.path !== undefined) {
    throw new UsageError(`--locked takes a locked repo, not a revision or path ('${repo}').`, 'The lock says which revision and files: name the repo alone.')
  }
  const key = { hub: hubNameOf(flags, ref), type: ref.type, id: ref.id }
  const entry = repos.find((r) => sameRepo(r, key))
  if (!entry) throw new UsageError(`${repoLabel(key)} is not in ${lockName}.`, `Add it with: ${lockHint(lockName, `add ${repo}`)}`)
  return entry
}
