// `hfx cache verify --fix`, the part before the download: clears what is bad so that the pull engine,
// which skips anything already in place, fetches exactly those files again. Only links and files inside
// the snapshot and blobs named by the scan are removed; a link's target is never touched.
import path from 'node:path'
import { safeJoin } from '../repo/safe-path.js'
import { realDirs, removeFile } from './apply-deletion.js'
import type { Snapshot } from './cached-repo.js'
import { snapshotDir, type RepoCache } from './layout.js'
import type { Problem } from './snapshot-check.js'

export interface Repair {
  /** Paths to fetch again at the snapshot's commit. */
  refetch: string[]
  /** Extra links removed from the snapshot. */
  unlinked: string[]
  /** Problems --fix does not touch (a plain file that is not in the commit may be someone's own). */
  leftAlone: Problem[]
}

export async function clearForRefetch(rc: RepoCache, snap: Snapshot, problems: Problem[]): Promise<Repair> {
  const repair: Repair = { refetch: [], unlinked: [], leftAlone: [] }
  const root = snapshotDir(rc, snap.commit)
  const kind = new Map(snap.files.map((f) => [f.path, f.kind]))
  const repoRoot = path.dirname(rc.repoDir)
  const folder = path.basename(rc.repoDir)
  // Every folder between the cache root and what is removed must be a real one (realDirs throws otherwise).
  const removeEntry = async (repoPath: string) => {
    if (await realDirs(repoRoot, [folder, 'snapshots', snap.commit, ...repoPath.split('/').slice(0, -1)])) await removeFile(safeJoin(root, repoPath))
  }
  for (const p of problems) {
    if (p.kind === 'extra') {
      if (kind.get(p.path) === 'file') repair.leftAlone.push(p)
      else {
        await removeEntry(p.path)
        repair.unlinked.push(p.path)
      }
      continue
    }
    // Shared blobs stay unless their own name condemns them: another snapshot may link them correctly.
    if (p.kind === 'corrupt' && p.blob && p.blobIsBad && (await realDirs(repoRoot, [folder, 'blobs']))) await removeFile(path.join(rc.blobsDir, p.blob))
    if (p.kind !== 'missing') await removeEntry(p.path)
    repair.refetch.push(p.path)
  }
  return repair
}
