// `hfx cache ls`'s flags; the listing is in cache-ls-run.ts, loaded only when it runs.
import { Option, type Command } from 'commander'
import type { CacheLsFlags } from './cache-ls-run.js'

export function cacheLsCommand(cache: Command): void {
  cache
    .command('ls')
    .description('repos in the cache with their size, revisions, refs and last use; with a repo, its revisions')
    .argument('[repo]', 'org/name or datasets/org/name: show its revisions')
    .addOption(new Option('--sort <key>', 'order of the repos').choices(['name', 'size', 'time']).default('name'))
    .option('--json', 'machine-readable output')
    .action(async (repo: string | undefined, _opts: CacheLsFlags, self: Command) => {
      const { runCacheLs } = await import('./cache-ls-run.js')
      await runCacheLs(repo, self)
    })
}
