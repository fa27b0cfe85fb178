import type { Command } from 'commander'
import { collectTree } from '../hub/collect-tree.js'
import type { TreeFile } from '../hub/hub.js'
import { escapeControls, jsonText } from '../escape-controls.js'
import { formatHeader } from '../format.js'
import { contentHash, renderLong, renderTotals, renderTree, renderUnsafe, storageKind, totals } from '../ls/render-tree.js'
import { hubNameOf } from '../repo/hub-name.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { pullRefusal } from '../repo/safe-path.js'
import { makeFilter } from '../select/filters.js'
import { settingsFor, withHubSession } from '../session.js'
import { addRepoOptions, addSelectOptions, repoRefFrom, type RepoFlags } from './repo-options.js'

interface LsFlags extends RepoFlags {
  include?: string[]
  exclude?: string[]
  flat?: boolean
  long?: boolean
  json?: boolean
}

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
      const flags = self.optsWithGlobals<LsFlags>()
      const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'))
      await withHubSession(flags, hubNameOf(flags, ref), 'hfx ls lists files on the Hub', async (session) => {
        const base = (path ?? ref.path ?? '').replace(/\/+$/, '')
        const info = await session.hub.resolveRevision(ref)
        // ls writes nothing: a hostile path is listed, marked, rather than refused (pull refuses it).
        const entries = await collectTree(session.hub, ref, info.commit, { path: base || undefined, keepUnsafe: true })
        const keep = makeFilter({ include: flags.include, exclude: flags.exclude })
        const files = entries.filter((e): e is TreeFile => e.type === 'file' && keep(e.path))
        printListing({ ref: formatRepoRef({ ...ref, revision: undefined }), type: ref.type, revision: info.revision, commit: info.commit, base, files }, flags)
      })
    })
}

function printListing(
  l: { ref: string; type: string; revision: string; commit: string; base: string; files: TreeFile[] },
  flags: LsFlags,
): void {
  const refusals = new Map(l.files.map((f) => [f, pullRefusal(f.path)] as const))
  if (flags.json) {
    // Values stay exactly what the server sent; jsonText writes control characters as JSON escapes.
    const files = l.files.map((f) => ({
      path: f.path,
      size: f.size,
      storage: storageKind(f),
      hash: contentHash(f),
      gitOid: f.oid,
      ...(f.xetHash ? { xetHash: f.xetHash } : {}),
      ...(refusals.get(f) ? { unsafe: refusals.get(f) } : {}),
    }))
    process.stdout.write(`${jsonText({ repo: l.ref, type: l.type, revision: l.revision, commit: l.commit, path: l.base, files, totals: totals(l.files) }, 2)}\n`)
    return
  }
  // Text: every line shows control characters as escapes (escape-controls.ts).
  const out = (line: string) => process.stdout.write(`${escapeControls(line)}\n`)
  const safe = l.files.filter((f) => !refusals.get(f))
  const unsafe = renderUnsafe(l.files.flatMap((f) => (refusals.get(f) ? [{ file: f, reason: refusals.get(f)! }] : [])))
  if (flags.flat) {
    // stdout is for pipes: only paths that are exactly what the repo holds and safe to use. The rest is
    // reported on stderr, marked, so nothing downstream acts on a hostile name.
    for (const f of [...safe].sort((a, b) => (a.path < b.path ? -1 : 1))) out(f.path)
    for (const line of unsafe) process.stderr.write(`${escapeControls(line)}\n`)
    return
  }
  out(formatHeader(`${l.ref}${l.base ? `/${l.base}` : ''}`, l.revision, l.commit))
  for (const line of flags.long ? renderLong(safe) : renderTree(safe, l.base)) out(line)
  for (const line of unsafe) out(line)
  out(renderTotals(l.files))
}
