// What `hfx lock` and `hfx lock add` do once parsed (commands/lock.ts); loaded only when they run.
import path from 'node:path'
import type { Command } from 'commander'
import { escapeControls } from '../escape-controls.js'
import { LockOutdatedError, OfflineError, UsageError } from '../errors.js'
import { diffLocks } from '../lock/diff.js'
import { DEFAULT_LOCK_FILE, LOCK_VERSION, lockHint, putRepo, repoLabel, sameRepo, type Lockfile } from '../lock/lockfile.js'
import { lockSummary } from '../lock/render.js'
import { resolveAll, resolveRepo, type HubFor } from '../lock/resolve.js'
import { readLock, writeLock } from '../lock/store.js'
import { hubNameOf, type HubName } from '../repo/hub-name.js'
import { defaultRevision, parseRepoRef } from '../repo/repo-ref.js'
import { openSession, settingsFor, type Session } from '../session.js'
import type { GlobalFlags } from '../settings.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'

export interface LockFlags extends GlobalFlags {
  file?: string
  update?: boolean | string
  check?: boolean
}

export interface AddFlags extends RepoFlags, LockFlags {
  include?: string[]
  exclude?: string[]
}

const out = (line: string): void => {
  process.stdout.write(`${escapeControls(line)}\n`)
}

export async function runLock(self: Command): Promise<void> {
  const flags = self.optsWithGlobals<LockFlags>()
  if (flags.check && flags.update !== undefined) throw new UsageError('--check and --update cannot be used together.', '--check only reports; --update writes.')
  const { file, name } = lockPath(flags)
  const current = await readLock(file, name)
  if (!current) throw new UsageError(`there is no lockfile at ${name}.`, `Create it with: ${lockHint(name, 'add org/name[@revision]')}`)
  if (flags.check) return check(flags, current, name)
  if (flags.update !== undefined) return update(flags, current, file, name)
  for (const line of lockSummary(current)) out(line)
}

export async function runLockAdd(repo: string, self: Command): Promise<void> {
  const flags = self.optsWithGlobals<AddFlags>()
  const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'))
  if (ref.path) throw new UsageError(`a lock entry is a whole repo, but '${repo}' names the path ${ref.path}.`, `Select files with --include '${ref.path}' instead.`)
  const hub = hubNameOf(flags, ref)
  const { file, name } = lockPath(flags)
  const before = (await readLock(file, name)) ?? { version: LOCK_VERSION, repos: [] }
  const decl = { hub, type: ref.type, id: ref.id, revision: ref.revision ?? defaultRevision({ hub }), include: flags.include ?? [], exclude: flags.exclude ?? [] }
  const entry = await withHubs(flags, (hubFor) => resolveRepo(decl, hubFor))
  await writeAndReport(before, putRepo(before, entry), file, name)
}

function lockPath(flags: LockFlags): { file: string; name: string } {
  const name = flags.file ?? DEFAULT_LOCK_FILE
  return { file: path.resolve(name), name }
}

async function check(flags: LockFlags, current: Lockfile, name: string): Promise<void> {
  const fresh: Lockfile = { version: LOCK_VERSION, repos: await withHubs(flags, (hubFor) => resolveAll(current.repos, hubFor)) }
  const lines = diffLocks(current, fresh)
  if (lines.length === 0) return out(`${name}: up to date`)
  for (const line of lines) out(line)
  const one = (r: Lockfile['repos'][number]): Lockfile => ({ version: LOCK_VERSION, repos: [r] })
  const moved = fresh.repos.filter((r) => diffLocks(one(current.repos.find((c) => sameRepo(c, r))!), one(r)).length > 0)
  throw new LockOutdatedError(
    `${name} is out of date: ${moved.length} of ${current.repos.length} ${current.repos.length === 1 ? 'repo' : 'repos'} changed on the Hub.`,
    `Review the changes above, then write them with: ${lockHint(name, '--update')}`,
  )
}

async function update(flags: LockFlags, current: Lockfile, file: string, name: string): Promise<void> {
  let targets = current.repos
  if (typeof flags.update === 'string') {
    const ref = parseRepoRef(flags.update, { hub: flags.hub })
    if (ref.revision !== undefined || ref.path !== undefined) {
      throw new UsageError(`--update takes a locked repo, not a revision or path ('${flags.update}').`, `To lock another revision, run: ${lockHint(name, 'add org/name@revision')}`)
    }
    const key = { hub: hubNameOf(flags, ref), type: ref.type, id: ref.id }
    targets = current.repos.filter((r) => sameRepo(r, key))
    if (targets.length === 0) throw new UsageError(`${repoLabel(key)} is not in ${name}.`, `Add it with: ${lockHint(name, `add ${flags.update}`)}`)
  }
  const fresh = await withHubs(flags, (hubFor) => resolveAll(targets, hubFor))
  await writeAndReport(current, fresh.reduce(putRepo, current), file, name)
}

async function writeAndReport(before: Lockfile, after: Lockfile, file: string, name: string): Promise<void> {
  const lines = diffLocks(before, after)
  if (lines.length === 0) return out(`${name}: up to date`)
  await writeLock(file, after)
  for (const line of lines) out(line)
  out(`wrote ${name}`)
}

/** Runs `use` with one session per hub it asks for, opened on first use and all closed at the end. */
async function withHubs<T>(flags: GlobalFlags, use: (hubFor: HubFor) => Promise<T>): Promise<T> {
  const sessions = new Map<HubName, Promise<Session>>()
  const hubFor: HubFor = async (hub) => {
    if (!sessions.has(hub)) sessions.set(hub, openSession(flags, hub))
    const session = await sessions.get(hub)!
    const offline = session.settings.offlineVar
    if (offline) throw new OfflineError(`hfx lock resolves revisions on the Hub, and ${offline} is set.`, `Unset ${offline}; \`hfx lock\` alone reads the lock without the Hub.`)
    return session.hub
  }
  try {
    return await use(hubFor)
  } finally {
    for (const s of sessions.values()) await (await s.catch(() => undefined))?.close()
  }
}
