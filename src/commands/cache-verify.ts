import type { Command } from 'commander'
import type { CachedRepo, Snapshot } from '../cache/cached-repo.js'
import { refsTo } from '../cache/cached-repo.js'
import { repoCache, repoFolderName } from '../cache/layout.js'
import { resolveLocalRevision } from '../cache/local-revision.js'
import { clearForRefetch, type Repair } from '../cache/repair-snapshot.js'
import { scanRepo } from '../cache/scan-cache.js'
import { expectedFromName, expectedFromTree, planChecks, type ExpectedFile } from '../cache/snapshot-check.js'
import { describeCounts, renderVerifyReport, type VerifyReport } from '../cache/render-verify.js'
import { runChecks } from '../cache/verify-snapshot.js'
import { CacheProblemsError, InterruptedError, NotInCacheError, OfflineError } from '../errors.js'
import { collectTree } from '../hub/tree.js'
import { PULL_DEFAULTS } from '../pull/defaults.js'
import { pull } from '../pull/index.js'
import { manifestFile, readManifest } from '../cache/manifest.js'
import { LineReporter } from '../report/lines.js'
import { defaultRevision, formatRepoRef, type RepoRef } from '../repo/repo-ref.js'
import { openSession } from '../session.js'
import { VerifyProgress } from './cache-progress.js'
import { cacheSettings } from './cache-settings.js'
import { onInterrupt } from './interrupt.js'
import { addRepoOptions, repoRefFrom, type RepoFlags } from './repo-options.js'
import { escapeControls, jsonText } from '../escape-controls.js'

interface VerifyFlags extends RepoFlags {
  offline?: boolean
  complete?: boolean
  fix?: boolean
  json?: boolean
}

export function cacheVerifyCommand(cache: Command): void {
  const cmd = cache
    .command('verify')
    .description("re-hash every file of a cached snapshot: against the Hub's listing, or offline against the blob names")
    .argument('<repo>', 'org/name[@rev]; default revision: main (master for ms://)')
  addRepoOptions(cmd)
    .option('--offline', 'do not ask the Hub (also HF_HUB_OFFLINE=1): check each blob against its own name')
    .option('--complete', 'files of the commit that are not in the snapshot count as missing')
    .option('--fix', 'fetch missing and corrupt files again (needs the Hub)')
    .option('--json', 'machine-readable report on stdout')
    .action(async (input: string, _opts: VerifyFlags, self: Command) => {
      const flags = self.optsWithGlobals<VerifyFlags>()
      const ref = repoRefFrom(input, flags)
      const settings = cacheSettings(flags, ref.hub)
      const offline = Boolean(flags.offline) || settings.offline
      if (offline && flags.fix) {
        throw new OfflineError('--fix downloads files again, and hfx is offline.', 'Run it without --offline / HF_HUB_OFFLINE, or check only, without --fix.')
      }
      const name = formatRepoRef({ ...ref, revision: undefined })
      const repo = await scanRepo(settings.cacheDir, repoFolderName(ref))
      if (!repo) throw new NotInCacheError(`${name} is not in the cache (${settings.cacheDir}).`, 'List what is cached with: hfx cache ls')
      const commit = resolveLocalRevision(repo, ref.revision, defaultRevision(ref))
      const snap = repo.snapshots.find((s) => s.commit === commit)
      if (!snap) throw new NotInCacheError(`${name}@${commit} has no snapshot in the cache (only refs or .no_exist markers).`, `Fetch it with: hfx pull ${name}@${commit}`)

      const interrupt = onInterrupt()
      const session = offline ? undefined : await openSession(flags, { signal: interrupt.signal, hub: ref.hub })
      try {
        const manifest = await readManifest(manifestFile(settings.cacheDir, ref, commit))
        const listed = manifest?.files.map((f) => expectedFromName(f.path, f.etag, f.size))
        const fromManifest = listed?.every((e) => e !== undefined) ? (listed as ExpectedFile[]) : undefined
        const required = new Set(fromManifest?.map((e) => e.path))
        let source: VerifyReport['against'] = fromManifest ? 'manifest' : 'blob names'
        let listing = fromManifest
        if (session) {
          const tree = await collectTree(session.io, ref, commit)
          listing = tree.map(expectedFromTree)
          source = 'hub'
        }
        const plan = planChecks(snap, new Set(repo.blobs.map((b) => b.name)), listing, (p) => Boolean(flags.complete) || required.has(p))
        const progress = new VerifyProgress(plan.checks.length, checkBytes(repo, snap, plan.checks.map((c) => c.path)))
        const hashed = await runChecks(repoCache(settings.cacheDir, ref), commit, plan.checks, {
          bytes: (n) => progress.onBytes(n),
          checked: (c, p) => progress.onChecked(c, p),
        })
        progress.done()
        const problems = [...plan.problems, ...hashed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))

        let repair: Repair | undefined
        if (flags.fix && session && problems.length) {
          repair = await clearForRefetch(repoCache(settings.cacheDir, ref), snap, problems)
          if (repair.refetch.length) await refetch(ref, commit, repair.refetch, settings.cacheDir, session, interrupt.signal)
        }
        const report: VerifyReport = { repo: name, type: ref.type, commit, refs: refsTo(repo, commit), against: source, checked: plan.checks.length, problems, absent: plan.absent, unchecked: plan.unchecked, ...(repair ? { fixed: repair.refetch, unlinked: repair.unlinked } : {}) }
        if (flags.json) process.stdout.write(`${jsonText(report, 2)}\n`)
        else for (const line of renderVerifyReport(report, repair)) process.stdout.write(`${escapeControls(line)}\n`) // paths came from servers
        const remaining = repair ? repair.leftAlone : problems
        if (remaining.length) {
          throw new CacheProblemsError(
            `${name}@${commit.slice(0, 12)}: ${describeCounts(remaining)}.`,
            repair
              ? 'These files are not in the commit and are not links; remove them by hand if they are not yours.'
              : offline
                ? `Fetch the bad files again with: hfx cache verify ${name}@${commit} --fix (needs the Hub).`
                : `Fetch the bad files again with: hfx cache verify ${name}@${commit} --fix`,
          )
        }
      } catch (err) {
        if (interrupt.signal.aborted) throw new InterruptedError('interrupted.', undefined, { cause: err })
        throw err
      } finally {
        interrupt.dispose()
        await session?.close()
      }
    })
}

/** The pull engine fetches what is missing and skips what is in place, so clearing the bad files is enough. */
async function refetch(ref: RepoRef, commit: string, paths: string[], cacheDir: string, session: Awaited<ReturnType<typeof openSession>>, signal: AbortSignal): Promise<void> {
  const report = new LineReporter()
  try {
    await pull(
      { ref: { ...ref, revision: commit, path: undefined }, select: { files: paths }, maxFiles: PULL_DEFAULTS.maxFiles, connections: PULL_DEFAULTS.connections, chunkSize: PULL_DEFAULTS.chunkSize, dryRun: false },
      { hub: session.io, cacheDir, offline: false, report, signal, hashThreads: session.settings.hashThreads, lockPatienceMs: session.settings.lockPatienceMs },
    )
  } finally {
    report.close()
  }
}

function checkBytes(repo: CachedRepo, snap: Snapshot, paths: string[]): number {
  const sizes = new Map(repo.blobs.map((b) => [b.name, b.size]))
  const want = new Set(paths)
  return snap.files.reduce((n, f) => n + (!want.has(f.path) ? 0 : f.kind === 'blob' ? (sizes.get(f.blob) ?? 0) : f.kind === 'file' ? f.size : 0), 0)
}
