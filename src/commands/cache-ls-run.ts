// `hfx cache ls`: what the cache holds (both hubs' caches unless one is named), or one repo's revisions.
import type { Command } from 'commander'
import { repoCache, repoFolderName } from '../cache/layout.js'
import { renderRepoDetail, renderRepoTable } from '../cache/render-usage.js'
import { scanCache, scanRepo } from '../cache/scan-cache.js'
import { repoUsage, sortRepos, type RepoUsage, type SortKey } from '../cache/usage.js'
import { NotInCacheError } from '../errors.js'
import { hubNameOf, type HubName } from '../repo/hub-name.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { settingsFor } from '../session.js'
import { cacheSettings } from './cache-settings.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'
import { escapeControls, jsonText } from '../escape-controls.js'

export interface CacheLsFlags extends RepoFlags {
  sort: SortKey
  json?: boolean
}

export async function runCacheLs(repo: string | undefined, self: Command): Promise<void> {
  const flags = self.optsWithGlobals<CacheLsFlags>()
  const out = (line: string) => process.stdout.write(`${escapeControls(line)}\n`) // names on disk came from servers
  const now = Date.now()
  if (repo) {
    const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'))
    const { cacheDir } = cacheSettings(flags, ref.hub)
    const scanned = await scanRepo(cacheDir, repoFolderName(ref))
    if (!scanned) throw new NotInCacheError(`${formatRepoRef({ ...ref, revision: undefined })} is not in the cache (${cacheDir}).`, 'List what is cached with: hfx cache ls')
    const usage = repoUsage(scanned, hubNameOf(flags, ref))
    const dir = repoCache(cacheDir, ref).repoDir
    if (flags.json) process.stdout.write(`${jsonText({ cacheDir, ...toJson(usage), path: dir }, 2)}\n`)
    else renderRepoDetail(usage, dir, now).forEach(out)
    return
  }
  // Both hubs' caches unless one is asked for (--hub, or --cache-dir: one folder); ModelScope's is named
  // only when it holds something, so a Hugging Face-only user sees what they always saw.
  const hubs: HubName[] = flags.hub || flags.cacheDir ? [hubNameOf(flags)] : ['huggingface', 'modelscope']
  const caches = await Promise.all(
    hubs.map(async (hub) => {
      const { cacheDir } = cacheSettings(flags, hub)
      return { hub, cacheDir, repos: (await scanCache(cacheDir)).repos.map((r) => repoUsage(r, hub)) }
    }),
  )
  const shown = caches.filter((c, i) => i === 0 || c.repos.length)
  const repos = sortRepos(shown.flatMap((c) => c.repos), flags.sort)
  const cacheDir = shown[0].cacheDir
  if (flags.json) {
    const cacheDirs = Object.fromEntries(caches.map((c) => [c.hub, c.cacheDir]))
    process.stdout.write(`${jsonText({ cacheDir, cacheDirs, repos: repos.map(toJson) }, 2)}\n`)
  } else renderRepoTable(repos, shown.map((c) => c.cacheDir).join(' and '), now).forEach(out)
}

function toJson(u: RepoUsage) {
  const { lastAccessedMs, lastModifiedMs, ...rest } = u
  const iso = (ms: number) => (ms ? new Date(ms).toISOString() : null)
  return { ...rest, lastAccessed: iso(lastAccessedMs), lastModified: iso(lastModifiedMs) }
}
