// hfx lock: pin the repos a project needs to commits and file hashes, in a lockfile committed with the code.
// Like a package manager's lock, a bare `hfx lock` moves nothing: it shows what is pinned. Pins move only when
// asked (`add`, `--update`), and `--check` says whether they would, for scheduled "models outdated" jobs.
import type { Command } from 'commander'
import { DEFAULT_LOCK_FILE } from '../lock/lockfile.js'
import type { AddFlags, LockFlags } from './lock-run.js'
import { addRepoOptions, addSelectOptions } from './repo-options.js'

export function lockCommand(program: Command): void {
  const lock = program
    .command('lock')
    .description('pin repos to commits and file hashes in a lockfile (hfx.lock); with no option, show what it pins')
    .option('-f, --file <file>', `the lockfile (default: ./${DEFAULT_LOCK_FILE})`)
    .option('--update [repo]', 'resolve every locked repo (or only this one) at its revision again, and write the result')
    .option('--check', `resolve again without writing; exit 10 with the differences when anything moved`)
    .addHelpText(
      'after',
      `
Examples:
  hfx lock add Qwen/Qwen2.5-0.5B --include '*.json' --include '*.safetensors'
  hfx lock add datasets/acme/evals@v2
  hfx lock add ms://Qwen/Qwen2.5-0.5B
  hfx lock                                 what is pinned (no network)
  hfx lock --check                         exit 10 and a diff when a revision now points elsewhere
  hfx lock --update Qwen/Qwen2.5-0.5B      move that pin to where its revision points now`,
    )
    .action(async (_opts: LockFlags, self: Command) => {
      const { runLock } = await import('./lock-run.js')
      await runLock(self)
    })

  const add = lock
    .command('add')
    .description('resolve a repo and add it to the lockfile (replacing its entry if it is there)')
    .argument('<repo>', 'org/name[@rev], datasets/org/name, ms://org/name, …')
    .addHelpText('after', '\nThe lockfile is ./hfx.lock, or the one `hfx lock --file F add …` names (--file also works after add).')
  addRepoOptions(add)
  addSelectOptions(add).action(async (repo: string, _opts: AddFlags, self: Command) => {
    const { runLockAdd } = await import('./lock-run.js')
    await runLockAdd(repo, self)
  })
}
