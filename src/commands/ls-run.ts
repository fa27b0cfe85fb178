// `hfx ls`: flags → the Hub's listing at one commit → a tree, --long, --flat or --json on stdout.
import type { Command } from 'commander'
import { collectTree } from '../hub/collect-tree.js'
import type { TreeFile } from '../hub/hub.js'
import { escapeControls, jsonText } from '../escape-controls.js'
import { formatHeader } from '../format.js'
import { contentHash, renderLong, renderTotals, renderTree, renderUnsafe, storageKind, totals } from '../ls/render-tree.js'
import { offlineNote } from '../report/offline-note.js'
import { hubNameOf } from '../repo/hub-name.js'
import { formatRepoRef } from '../repo/repo-ref.js'
import { pullRefusal } from '../repo/safe-path.js'
import { makeFilter } from '../select/filters.js'
import { settingsFor, withHubSession } from '../session.js'
import { conflictIn, LS_CONFLICTS } from './flag-conflicts.js'
import { repoRefFrom, type RepoFlags } from './repo-options.js'

export interface LsFlags extends RepoFlags {
  include?: string[]
  exclude?: string[]
  flat?: boolean
  long?: boolean
  json?: boolean
}

export async function runLs(repo: string, path: string | undefined, self: Command): Promise<void> {
  const flags = self.optsWithGlobals<LsFlags>()
  const conflict = conflictIn(LS_CONFLICTS, (key) => self.getOptionValueSourceWithGlobals(key) === 'cli')
  if (conflict) throw conflict
  const ref = repoRefFrom(repo, flags, settingsFor(flags, 'huggingface'))
  await withHubSession(flags, hubNameOf(flags, ref), async (session) => {
    const base = (path ?? ref.path ?? '').replace(/\/+$/, '')
    const info = await session.hub.resolveRevision(ref)
    // ls writes nothing: a hostile path is listed, marked, rather than refused (pull refuses it).
    const entries = await collectTree(session.hub, ref, info.commit, { path: base || undefined, keepUnsafe: true })
    const keep = makeFilter({ include: flags.include, exclude: flags.exclude })
    const files = entries.filter((e): e is TreeFile => e.type === 'file' && keep(e.path))
    // A path that names a file lists that file, drawn in its folder (the header names the folder).
    const isFile = entries.length === 1 && entries[0].path === base
    const folder = isFile ? base.split('/').slice(0, -1).join('/') : base
    printListing({ ref: formatRepoRef({ ...ref, revision: undefined }), type: ref.type, revision: info.revision, commit: info.commit, base, folder, files, offline: session.settings.offlineVar }, flags)
  })
}

function printListing(
  l: { ref: string; type: string; revision: string; commit: string; base: string; folder: string; files: TreeFile[]; offline?: string },
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
    const source = l.offline ? 'cache' : 'hub'
    process.stdout.write(`${jsonText({ repo: l.ref, type: l.type, revision: l.revision, commit: l.commit, source, path: l.base, files, totals: totals(l.files) }, 2)}\n`)
    return
  }
  // Text: every line shows control characters as escapes (escape-controls.ts).
  const out = (line: string) => process.stdout.write(`${escapeControls(line)}\n`)
  const safe = l.files.filter((f) => !refusals.get(f))
  const unsafe = renderUnsafe(l.files.flatMap((f) => (refusals.get(f) ? [{ file: f, reason: refusals.get(f)! }] : [])))
  // Marked before anything else; with --flat on stderr, so that stdout stays paths only.
  if (l.offline) {
    const note = offlineNote(l.offline, l.commit)
    if (flags.flat) process.stderr.write(`${note}\n`)
    else out(note)
  }
  if (flags.flat) {
    // stdout is for pipes: only paths that are exactly what the repo holds and safe to use. The rest is
    // reported on stderr, marked, so nothing downstream acts on a hostile name.
    for (const f of [...safe].sort((a, b) => (a.path < b.path ? -1 : 1))) out(f.path)
    for (const line of unsafe) process.stderr.write(`${escapeControls(line)}\n`)
    return
  }
  out(formatHeader(`${l.ref}${l.folder ? `/${l.folder}` : ''}`, l.revision, l.commit))
  for (const line of flags.long ? renderLong(safe) : renderTree(safe, l.folder)) out(line)
  for (const line of unsafe) out(line)
  out(renderTotals(l.files))
}
