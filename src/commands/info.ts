// `hfx info`: flags → summarizeRepo() → text or --json. All logic lives in src/summary/.
import type { Command } from 'commander'
import { offlineNote } from '../report/offline-note.js'
import { hubNameOf } from '../repo/hub-name.js'
import { settingsFor, withHubSession } from '../session.js'
import { addRepoOptions, repoRefFrom, type RepoFlags } from './repo-options.js'
import { jsonText } from '../escape-controls.js'

interface InfoFlags extends RepoFlags {
  json?: boolean
}

export function infoCommand(program: Command): void {
  const cmd = program
    .command('info')
    .description('what a repo holds (architecture, parameters, precision, KV cache, memory, files) without downloading weights')
    .argument('<repo>', 'org/name[@rev], datasets/org/name, hf://… or a huggingface.co URL')
  addRepoOptions(cmd)
    .option('--json', 'everything, machine-readable, with bytesRead')
    .addHelpText(
      'after',
      `
Reads config.json, the model card and the weights' own headers (safetensors, GGUF) with small Range
requests: a few kB per file, never the weights. The KV cache per token and at 4K/32K/128K/max context
comes from config.json, by each attention family's rule (GQA, MLA, sliding windows, Mamba state).

Examples:
  hfx info deepseek-ai/DeepSeek-V3
  hfx info meta-llama/Llama-3.1-8B-Instruct --json
  hfx info datasets/HuggingFaceFW/fineweb`,
    )
    .action(async (repo: string, _opts: InfoFlags, self: Command) => {
      const flags = self.optsWithGlobals<InfoFlags>()
      const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'))
      await withHubSession(flags, hubNameOf(flags, ref), async (session) => {
        // Loaded here, not at start-up: the header parsers (@huggingface/hub, @huggingface/gguf) cost every
        // other command ~160 ms and ~12 MB.
        const [{ summarizeRepo }, { renderText }] = await Promise.all([import('../summary/summarize-repo.js'), import('../summary/render-text.js')])
        const summary = await summarizeRepo(session.hub, ref)
        const offline = session.settings.offlineVar
        const lines = offline ? [offlineNote(offline, summary.repo.commit), ...renderText(summary)] : renderText(summary)
        const text = flags.json ? jsonText({ source: offline ? 'cache' : 'hub', ...summary }, 2) : lines.join('\n')
        process.stdout.write(`${text}\n`)
      })
    })
}
