// `hfx info`: flags → summarizeRepo() → text or --json. Loaded only when info runs (commands/info.ts): the
// header parsers (@huggingface/hub, @huggingface/gguf) would cost every other command ~160 ms and ~12 MB.
import type { Command } from 'commander'
import { jsonText } from '../escape-controls.js'
import { offlineNote } from '../report/offline-note.js'
import { hubNameOf } from '../repo/hub-name.js'
import { settingsFor, withHubSession } from '../session.js'
import { resolveFitBudget, type FitFlags } from '../summary/fit-budget.js'
import { fitRepo } from '../summary/fit-repo.js'
import { renderText } from '../summary/render-text.js'
import { summarizeRepo } from '../summary/summarize-repo.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'

export interface InfoFlags extends RepoFlags, FitFlags {
  json?: boolean
}

export async function runInfo(repo: string, self: Command): Promise<void> {
  const flags = self.optsWithGlobals<InfoFlags>()
  const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'))
  // Before any request: a budget that cannot be had (no nvidia-smi) is a usage error, not a late surprise.
  const budget = await resolveFitBudget(flags, async () => (await import('../summary/local-gpus.js')).readLocalGpus())
  await withHubSession(flags, hubNameOf(flags, ref), async (session) => {
    const summary = await summarizeRepo(session.hub, ref)
    const fit = budget ? fitRepo(summary, budget) : undefined
    const offline = session.settings.offlineVar
    const body = renderText(summary, fit)
    const lines = offline ? [offlineNote(offline, summary.repo.commit), ...body] : body
    const text = flags.json ? jsonText({ source: offline ? 'cache' : 'hub', ...summary, ...(fit ? { fit } : {}) }, 2) : lines.join('\n')
    process.stdout.write(`${text}\n`)
  })
}
