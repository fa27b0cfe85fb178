// Marks a local folder's .cache/huggingface as huggingface_hub does: a CACHEDIR.TAG (the Cache Directory
// Tagging Standard, honoured by tar --exclude-caches, borg, restic) and a .gitignore of `*`, so backups and
// `git add .` skip the bookkeeping. Not in the cache root: huggingface_hub 0.x's scan_cache_dir reports
// anything there but repo folders and .locks as a broken repo.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'

const CACHEDIR_TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by hfx.\n# For information about cache directory tags, see:\n#\thttps://bford.info/cachedir/\n'

async function writeIfAbsent(file: string, content: string): Promise<void> {
  // 'wx': an existing file (huggingface_hub's, or the user's own) is left as it is.
  await writeFile(file, content, { flag: 'wx' }).catch(() => {})
}

/** `<local dir>/.cache/huggingface`, which must already exist. */
export async function tagLocalDirMetadata(dir: string): Promise<void> {
  await writeIfAbsent(path.join(dir, 'CACHEDIR.TAG'), CACHEDIR_TAG)
  await writeIfAbsent(path.join(dir, '.gitignore'), '*\n')
}
