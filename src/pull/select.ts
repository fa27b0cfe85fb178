// Applies the user's selection to the tree. Pure. Positional files must each match something: a typo in
// a file name is an error, not a silent empty download.
import { EntryNotFoundError, NoMatchError } from '../errors.js'
import type { TreeFile } from '../hub/hub.js'
import { isSafeRepoPath } from '../repo/safe-path.js'
import { makeFilter, type Selection } from '../select/filters.js'

export function selectFiles(tree: TreeFile[], sel: Selection, repoName: string, revision: string): TreeFile[] {
  for (const pattern of sel.files ?? []) {
    const matches = makeFilter({ files: [pattern] })
    if (!tree.some((f) => matches(f.path))) throw new EntryNotFoundError(repoName, pattern, revision)
  }
  const keep = makeFilter(sel)
  const selected = tree.filter((f) => keep(f.path))
  if (selected.length === 0 && tree.length > 0 && (sel.include?.length || sel.exclude?.length)) {
    throw new NoMatchError(repoName, revision, describe(sel))
  }
  return selected
}

/**
 * Positional names that are plain file paths: no glob characters, safe to join below a folder, read as
 * filters.ts reads them. Only these can be named by a `.no_exist/<commit>/<path>` marker.
 */
export function plainFileNames(sel: Selection): string[] {
  const names = (sel.files ?? []).map((f) => f.replace(/^(\.\/)+/, ''))
  return [...new Set(names)].filter((name) => !/[*?[]/.test(name) && isSafeRepoPath(name))
}

/**
 * The plain names the commit does not have: what huggingface_hub records as `.no_exist/<commit>/<path>` when
 * the Hub answers a file request with EntryNotFound. A glob that matches nothing says nothing about any one
 * file, and a folder name is not a missing file, so both are left out.
 */
export function absentFiles(tree: TreeFile[], sel: Selection): string[] {
  return plainFileNames(sel).filter((name) => !tree.some((f) => f.path === name || f.path.startsWith(`${name}/`)))
}

function describe(sel: Selection): string {
  const parts = [...(sel.include ?? []).map((g) => `--include '${g}'`), ...(sel.exclude ?? []).map((g) => `--exclude '${g}'`)]
  return parts.join(' ')
}
