// What hfx keeps in a cache besides huggingface_hub's own files: a manifest per pulled commit, inside the
// repo folder (`<repo folder>/.hfx/manifests/<commit>.json`). huggingface_hub's scan_cache_dir, `hf cache`
// and @huggingface/hub's scanCacheDir read only snapshots/ and refs/ of a repo folder, and they delete the
// whole folder with the repo, so hfx's state never shows as a corrupted entry and never outlives its repo.
// hfx 0.1 kept it in `<cache>/.hfx/`, which every one of those scanners reports as a broken repo: it is
// moved into the repo folders the first time a pull or a cache command sees it.
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { HFX_DIR, manifestCommit, manifestsDir } from './hfx-names.js'
import { isRealDir } from './walk.js'


/** Moves hfx 0.1's `<cache>/.hfx/manifests/<folder>/*.json` into the repo folders, then removes `<cache>/.hfx`. */
export async function migrateLegacyState(cacheDir: string): Promise<void> {
  const legacy = path.join(cacheDir, HFX_DIR)
  if (!(await isRealDir(legacy))) return
  try {
    const root = manifestsDir(cacheDir) // hfx 0.1: one folder per repo below it
    for (const folder of (await isRealDir(root)) ? await readdir(root) : []) {
      const repoDir = path.join(cacheDir, folder)
      const from = path.join(root, folder)
      // Manifests of repos that are gone (deleted by another tool) describe nothing: they go with the folder.
      if (!(await isRealDir(repoDir)) || !(await isRealDir(from))) continue
      const hfxDir = path.join(repoDir, HFX_DIR)
      await mkdir(hfxDir).catch(() => {})
      await mkdir(manifestsDir(repoDir)).catch(() => {})
      if (!(await isRealDir(hfxDir)) || !(await isRealDir(manifestsDir(repoDir)))) continue
      for (const file of await readdir(from)) {
        if (manifestCommit(file)) await rename(path.join(from, file), path.join(manifestsDir(repoDir), file))
      }
    }
    await rm(legacy, { recursive: true, force: true })
  } catch {
    // A cache shared read-only: leave it; the scanners' warning is the only cost.
  }
}
