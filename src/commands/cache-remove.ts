// `hfx cache rm` and `hfx cache prune`: their flags; the deleting is in cache-remove-run.ts, loaded only when one runs.
import { Option, type Command } from 'commander'
import { parseAge } from '../cache/age.js'
import type { DeleteFlags, PruneFlags } from './cache-remove-run.js'

const WEEK_MS = 7 * 86_400_000

export function cacheRmCommand(cache: Command): void {
  cache
    .command('rm')
    .description('remove repos, or revisions with their refs and the blobs no other revision uses')
    .argument('<repo...>', 'org/name (the whole repo) or org/name@rev (a branch, tag, refs/pr/N or commit)')
    .addOption(new Option('--repo-type <type>', 'repo type, for references without datasets/ or spaces/').choices(['model', 'dataset', 'space']))
    .option('-n, --dry-run', 'say what would be removed and freed, remove nothing')
    .option('-y, --yes', 'do not ask before deleting (needed when not on a terminal)')
    .action(async (repos: string[], _opts: DeleteFlags, self: Command) => {
      const { runCacheRm } = await import('./cache-remove-run.js')
      await runCacheRm(repos, self)
    })
}

export function cachePruneCommand(cache: Command): void {
  cache
    .command('prune')
    .description('remove revisions no ref points to, blobs no snapshot uses, and abandoned partial downloads')
    .addOption(new Option('--older-than <age>', 'partial downloads untouched for this long (30m, 12h, 7d)').argParser(parseAge).default(WEEK_MS, '7d'))
    .option('-n, --dry-run', 'say what would be removed and freed, remove nothing')
    .option('-y, --yes', 'do not ask before deleting (needed when not on a terminal)')
    .action(async (_opts: PruneFlags, self: Command) => {
      const { runCachePrune } = await import('./cache-remove-run.js')
      await runCachePrune(self)
    })
}
