// `hfx cache verify`'s flags; the checking (and --fix's pull) is in cache-verify-run.ts, loaded only when it runs.
import type { Command } from 'commander'
import type { VerifyFlags } from './cache-verify-run.js'
import { addRepoOptions } from './repo-options.js'

export function cacheVerifyCommand(cache: Command): void {
  const cmd = cache
    .command('verify')
    .description("re-hash every file of a cached snapshot: against the Hub's listing, or offline against the blob names")
    .argument('<repo>', 'org/name[@rev]; default revision: main (master for ms://)')
  addRepoOptions(cmd)
    .option('--local-dir <dir>', "check a folder pulled with --local-dir (or huggingface_hub's local_dir) instead of the cache")
    .option('--offline', 'do not ask the Hub (also HF_HUB_OFFLINE=1): check each blob against its own name')
    .option('--complete', 'files of the commit that are not in the snapshot count as missing')
    .option('--fix', 'fetch missing and corrupt files again (needs the Hub)')
    .option('--json', 'machine-readable report on stdout')
    .action(async (input: string, _opts: VerifyFlags, self: Command) => {
      const { runCacheVerify } = await import('./cache-verify-run.js')
      await runCacheVerify(input, self)
    })
}
