// Applies the user's selection to the tree. Pure. Positional files must each match something: a typo in
// a file name is an error, not a silent empty download.
import { EntryNotFoundError, NoMatchError } from '../errors.js'
import type { TreeFile } from '../hub/tree.js'
import { makeFilter, type Selection } from '../select/filters.js'

export function selectFiles(tree: TreeFile[], sel: Selection, repoId: string, revision: string): TreeFile[] {
  for (const pattern of sel.files ?? []) {
    const matches = makeFilter({ files: [pattern] })
    if (!tree.some((f) => matches(f.path))) throw new EntryNotFoundError(repoId, pattern, revision)
  }
  const keep = makeFilter(sel)
  const selected = tree.filter((f) => keep(f.path))
  if (selected.length === 0 && tree.length > 0 && (sel.include?.length || sel.exclude?.length)) {
    throw new NoMatchError(repoId, revision, describe(sel))
  }
  return selected
}

function describe(sel: Selection): string {
  const parts = [...(sel.include ?? []).map((g) => `--include '${g}'`), ...(sel.exclude ?? []).map((g) => `--exclude '${g}'`)]
  return parts.join(' ')
}
