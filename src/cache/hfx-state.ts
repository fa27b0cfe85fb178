// What hfx keeps in a cache besides huggingface_hub's own files: a manifest per pulled commit, inside the
// repo folder (`<repo folder>/.hfx/manifests/<commit>.json`). huggingface_hub's scan_cache_dir, `hf cache`
// and @huggingface/hub's scanCacheDir read only snapshots/ and refs/ of a repo folder, and they delete the
// whole folder with the repo, so hfx's state never shows as a corrupted entry and never outlives its repo.
// hfx 0.1 kept it in `<cache>/.hfx/`, which every one of those scanners reports as a broken repo: it is
// moved into the repo folders the first time a pull or a cache command sees it.
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'

export function manifestsDir(repoDir: string): string {
  return path.join(repoDir, '.hfx', 'manifests')
}

/** Moves hfx 0.1's `<cache>/.hfx/manifests/<folder>/*.json` into the repo folders, then removes `<cache>/.hfx`. */
export async function migrateLegacyState(cacheDir: string): Promise<void> {
  const legacy = path.join(cacheDir, '.hfx')
  if (!(await stat(legacy).then((s) => s.isDirectory(), () => false))) return
  try {
    const root = path.join(legacy, 'manifests')
    for (const folder of await readdir(root).catch(() => [] as string[])) {
      const repoDir = path.join(cacheDir, folder)
      // Manifests of repos that are gone (deleted by another tool) describe nothing: they go with the folder.
      if (!(await stat(repoDir).then((s) => s.isDirectory(), () => false))) continue
      await mkdir(manifestsDir(repoDir), { recursive: true })
      for (const file of await readdir(path.join(root, folder)).catch(() => [] as string[])) {
        if (file.endsWith('.json')) await rename(path.join(root, folder, file), path.join(manifestsDir(repoDir), file))
      }
    }
    await rm(legacy, { recursive: true, force: true })
  } catch {
    // A cache shared read-only: leave it; the scanners' warning is the only cost.
  }
}
