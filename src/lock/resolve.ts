// Resolves a declared repo into its lock entry: the commit its revision points at now, and every file the
// selection keeps at that commit, with the hash a locked pull will check it against. Asks the hub for two
// things only (the revision, then the listing), through the Hub interface.
import { NoMatchError } from '../errors.js'
import { collectTree } from '../hub/collect-tree.js'
import type { Hub, TreeFile } from '../hub/hub.js'
import type { HubName } from '../repo/hub-name.js'
import { makeFilter } from '../select/filters.js'
import { compareFiles, type LockedFile, type LockedRepo } from './lockfile.js'

/** What a project declares for one repo: everything in a lock entry except what resolving finds. */
export type RepoDeclaration = Pick<LockedRepo, 'hub' | 'type' | 'id' | 'revision' | 'include' | 'exclude'>

/** The hub that serves repos of this name; one per hub for a whole run (commands/lock-run.ts opens them). */
export type HubFor = (name: HubName) => Promise<Hub>

export function lockedFile(f: TreeFile): LockedFile {
  // The tree listing gives both: sha256 for LFS (and Xet, which keeps the LFS sha256) files, the git blob sha1 otherwise.
  return f.lfs ? { path: f.path, size: f.size, sha256: f.lfs.oid } : { path: f.path, size: f.size, gitOid: f.oid }
}

export async function resolveRepo(decl: RepoDeclaration, hubFor: HubFor): Promise<LockedRepo> {
  const hub = await hubFor(decl.hub)
  const ref = { type: decl.type, id: decl.id, revision: decl.revision, ...(decl.hub === 'modelscope' ? { hub: decl.hub } : {}) }
  const info = await hub.resolveRevision(ref)
  const keep = makeFilter({ include: decl.include, exclude: decl.exclude })
  const files = (await collectTree(hub, ref, info.commit)).filter((f) => keep(f.path))
  if (files.length === 0) {
    const patterns = [...decl.include.map((p) => `--include ${p}`), ...decl.exclude.map((p) => `--exclude ${p}`)].join(' ')
    throw new NoMatchError(decl.id, decl.revision, patterns || 'the selection')
  }
  return { ...decl, commit: info.commit, files: files.map(lockedFile).sort(compareFiles) }
}

/** Every declaration resolved, one after another (a lock holds a handful of repos; order keeps output stable). */
export async function resolveAll(decls: RepoDeclaration[], hubFor: HubFor): Promise<LockedRepo[]> {
  const out: LockedRepo[] = []
  for (const d of decls) out.push(await resolveRepo(d, hubFor))
  return out
}
