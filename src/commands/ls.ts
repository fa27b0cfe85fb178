// `hfx ls`'s flags and help; the listing is in ls-run.ts, loaded only when ls runs.
import type { Command } from 'commander'
import type { LsFlags } from './ls-run.js'
import { addRepoOptions, addSelectOptions } from './repo-options.js'

export function lsCommand(program: Command): void {
  const cmd = program
    .command('ls')
    .description('list the files of a repo at one commit, with sizes, without downloading anything')
    .argument('<repo>', 'org/name[@rev], datasets/org/name, hf://… or a huggingface.co URL')
    .argument('[path]', 'only this folder (or file) of the repo')
  addRepoOptions(cmd)
  addSelectOptions(cmd)
    .option('--flat', 'one path a line, nothing else (for pipes)')
    .option('-l, --long', 'sizes in bytes, storage kind and hash, one file a line')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  hfx ls gpt2
  hfx ls meta-llama/Llama-3.1-8B@main original/
  hfx ls datasets/HuggingFaceFW/fineweb --include 'sample/10BT/*' --flat
  hfx ls https://huggingface.co/deepseek-ai/DeepSeek-V3/tree/main --long`,
    )
    .action(async (repo: string, path: string | undefined, _opts: LsFlags, self: Command) => {
      const { runLs } = await import('./ls-run.js')
      await runLs(repo, path, self)
    })
}
