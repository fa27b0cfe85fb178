// Reading a huggingface_hub cache the way a loader does: refs/<rev> → snapshots/<commit>/<path> → blob.
import { lstat, readFile, readdir, readlink } from 'node:fs/promises'
import path from 'node:path'

export function repoDir(cache: string, id: string, type = 'model'): string {
  return path.join(cache, `${type}s--${id.replaceAll('/', '--')}`)
}

export async function readRef(cache: string, id: string, ref = 'main', type = 'model'): Promise<string> {
  return readFile(path.join(repoDir(cache, id, type), 'refs', ref), 'utf8')
}

/** Every file below `dir`, relative, sorted; symlinks are listed, not followed. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => [])) {
      const p = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) await walk(p)
      else out.push(p)
    }
  }
  await walk('')
  return out.sort()
}

export async function linkOf(file: string): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined)
  return st?.isSymbolicLink() ? readlink(file) : undefined
}

/** hfx's partial files of one blob in `dir` (`<base>.hfx-<host>-<pid>.partial`), without their sidecars. */
export async function hfxPartials(dir: string, base: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter((n) => n.startsWith(`${base}.hfx-`) && n.endsWith('.partial')).map((n) => path.join(dir, n))
}
