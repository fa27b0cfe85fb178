// The files of a hub's listing, gathered, with the one rule about unsafe paths applied for every hub.
import { UnsafePathError } from '../errors.js'
import type { RepoRef } from '../repo/repo-ref.js'
import type { Hub, TreeFile } from './hub.js'

/**
 * Every caller wants files; folders are implied by their paths and not kept. By default an unsafe path
 * anywhere in the listing refuses it all (UnsafePathError naming the file's full path), so nothing that
 * writes can meet one; `keepUnsafe` is for ls and info, which write nothing and show the entries marked.
 */
export async function collectTree(
  hub: Hub,
  ref: RepoRef,
  commit: string,
  opts: { path?: string; keepUnsafe?: boolean } = {},
): Promise<TreeFile[]> {
  const files: TreeFile[] = []
  for await (const e of hub.listTree(ref, commit, { path: opts.path, recursive: true })) if (e.type === 'file') files.push(e)
  if (!opts.keepUnsafe) {
    const bad = files.find((e) => e.unsafe)
    if (bad) throw new UnsafePathError(bad.path, bad.unsafe!)
  }
  return files
}
