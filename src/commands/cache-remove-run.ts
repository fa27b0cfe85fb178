// What `hfx cache rm` and `hfx cache prune` do: every target resolved first, a plan shown, confirmed, applied.
import type { Command } from 'commander'
import { applyDeletion, type ApplyOptions } from '../cache/apply-deletion.js'
import type { CachedRepo } from '../cache/cached-repo.js'
import { isEmpty, planPrune, planRepoRemoval, planRevisionRemoval, PRUNE_GRACE_MS, type RepoDeletion } from '../cache/deletion-plan.js'
import { repoFolderName } from '../cache/layout.js'
import { resolveLocalRevision } from '../cache/local-revision.js'
import { renderDeletion, renderTotal } from '../cache/render-deletion.js'
import { scanCache, scanRepo } from '../cache/scan-cache.js'
import { NotInCacheError, UsageError } from '../errors.js'
import { hubNameOf } from '../repo/hub-name.js'
import { defaultRevision, formatRepoRef } from '../repo/repo-ref.js'
import { confirmDeletion } from './cache-confirm.js'
import { settingsFor } from '../session.js'
import { cacheSettings } from './cache-settings.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'
import { escapeControls } from '../escape-controls.js'

export interface DeleteFlags extends RepoFlags {
  dryRun?: boolean
  yes?: boolean
}

export interface PruneFlags extends DeleteFlags {
  olderThan: number
}

export async function runCacheRm(repos: string[], self: Command): Promise<void> {
  const flags = self.optsWithGlobals<DeleteFlags>()
  const refs = repos.map((input) => repoRefFrom(input, flags, settingsFor(flags, 'huggingface')))
  if (new Set(refs.map((r) => hubNameOf(flags, r))).size > 1) {
    throw new UsageError('ModelScope (ms://) and Hugging Face repos live in different caches; remove them in two commands.')
  }
  const { cacheDir } = cacheSettings(flags, refs[0]?.hub)
  // Every target is resolved before anything is deleted: a typo in the third one deletes nothing.
  const wanted = new Map<string, { repo: CachedRepo; whole: boolean; commits: Set<string> }>()
  for (const ref of refs) {
    const folder = repoFolderName(ref)
    const scanned = wanted.get(folder)?.repo ?? (await scanRepo(cacheDir, folder))
    if (!scanned) throw new NotInCacheError(`${formatRepoRef({ ...ref, revision: undefined })} is not in the cache (${cacheDir}).`, 'List what is cached with: hfx cache ls')
    const entry = wanted.get(folder) ?? { repo: scanned, whole: false, commits: new Set<string>() }
    if (ref.revision === undefined) entry.whole = true
    else entry.commits.add(resolveLocalRevision(scanned, ref.revision, defaultRevision(ref)))
    wanted.set(folder, entry)
  }
  const plans = [...wanted.values()].map((w) => (w.whole ? planRepoRemoval(w.repo) : planRevisionRemoval(w.repo, w.commits)))
  await carryOut(cacheDir, plans, flags)
}

export async function runCachePrune(self: Command): Promise<void> {
  const flags = self.optsWithGlobals<PruneFlags>()
  const { cacheDir } = cacheSettings(flags)
  const scan = await scanCache(cacheDir)
  const nowMs = Date.now()
  const plans = scan.repos.map((r) => planPrune(r, { nowMs, partialAgeMs: flags.olderThan, graceMs: PRUNE_GRACE_MS }))
  // A pull that started since the scan refreshes the times of what it reuses (pull/hold-reused.ts).
  await carryOut(cacheDir, plans, flags, { keepTouchedSinceMs: nowMs - PRUNE_GRACE_MS })
}

async function carryOut(cacheDir: string, all: RepoDeletion[], flags: DeleteFlags, opts: ApplyOptions = {}): Promise<void> {
  const out = (line: string) => process.stdout.write(`${escapeControls(line)}\n`) // names on disk came from servers
  const plans = all.filter((d) => !isEmpty(d))
  for (const d of all) if (isEmpty(d)) renderDeletion(d).forEach(out) // only "kept …, a pull may be linking them" lines
  if (plans.length === 0) {
    out('nothing to remove')
    return
  }
  plans.flatMap(renderDeletion).forEach(out)
  if (flags.dryRun) {
    out(`${renderTotal(plans, false)} (dry run: nothing was removed)`)
    return
  }
  if (!(await confirmDeletion(`Remove these from ${cacheDir} (${renderTotal(plans, false)})?`, flags.yes))) {
    out('nothing was removed')
    return
  }
  for (const d of plans) await applyDeletion(cacheDir, d, opts)
  out(renderTotal(plans, true))
}
