// Builds a cache by hand, the way huggingface_hub lays it out ("Cache layout" in hub-protocol.md, in
// ../shared/docs/ beside this repo), so the `hfx cache` tests run on what other tools write and not only on
// what hfx writes:
//   .locks/models--org--name/<etag>.lock, CACHEDIR.TAG
//   models--org--name/blobs/<etag>                (sha256 for LFS files, git blob sha1 otherwise)
//   models--org--name/blobs/<etag>.incomplete     (a partial download; hfx adds a .parts sidecar)
//   models--org--name/snapshots/<commit>/<path>   (relative symlink ../../blobs/<etag>, one more ../ per folder)
//   models--org--name/refs/<rev>                  (the commit, no newline; refs/pr/1 at refs/refs/pr/1)
//   models--org--name/.no_exist/<commit>/<path>   (empty marker)
import { createHash } from 'node:crypto'
import { lutimes, mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gitSha1, sha256 } from './files.js'

export type HfFile = Buffer | string | { content: Buffer | string; lfs?: boolean }

export interface HfRevision {
  commit: string
  files: Record<string, HfFile>
  refs?: string[]
  /** Paths huggingface_hub learned do not exist at this commit. */
  noExist?: string[]
}

export interface HfPartial {
  etag: string
  content: Buffer
  /** hfx's `.parts` sidecar beside it (huggingface_hub writes none). */
  sidecar?: boolean
  mtime?: Date
}

export interface HfRepoSpec {
  type?: 'model' | 'dataset' | 'space'
  revisions: HfRevision[]
  partials?: HfPartial[]
  /** atime and mtime of every blob, snapshot folder and link (default: now), for prune's age rules. */
  time?: Date
}

export interface HfRepo {
  dir: string
  blobsDir: string
  folder: string
  etag(commit: string, repoPath: string): string
  blob(commit: string, repoPath: string): string
  snapshot(commit: string, repoPath?: string): string
}

/** A stable, fake 40-hex commit sha for a label. */
export function commitSha(label: string): string {
  return createHash('sha1').update(label).digest('hex')
}

export function contentOf(f: HfFile): { content: Buffer; lfs: boolean } {
  if (typeof f === 'string' || Buffer.isBuffer(f)) return { content: Buffer.from(f), lfs: false }
  return { content: Buffer.from(f.content), lfs: Boolean(f.lfs) }
}

export function etagOf(f: HfFile): string {
  const { content, lfs } = contentOf(f)
  return lfs ? sha256(content) : gitSha1(content)
}

export async function writeHfRepo(cache: string, id: string, spec: HfRepoSpec): Promise<HfRepo> {
  const folder = `${spec.type ?? 'model'}s--${id.replaceAll('/', '--')}`
  const dir = path.join(cache, folder)
  const blobsDir = path.join(dir, 'blobs')
  await mkdir(blobsDir, { recursive: true })
  await writeFile(path.join(cache, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n')
  const etags = new Map<string, string>()
  for (const rev of spec.revisions) {
    const snap = path.join(dir, 'snapshots', rev.commit)
    for (const [repoPath, file] of Object.entries(rev.files)) {
      const etag = etagOf(file)
      etags.set(`${rev.commit}:${repoPath}`, etag)
      const blob = path.join(blobsDir, etag)
      await writeFile(blob, contentOf(file).content)
      if (spec.time) await utimes(blob, spec.time, spec.time)
      const link = path.join(snap, ...repoPath.split('/'))
      await mkdir(path.dirname(link), { recursive: true })
      const depth = repoPath.split('/').length
      await symlink(path.join(...Array<string>(depth + 1).fill('..'), 'blobs', etag), link)
      await mkdir(path.join(cache, '.locks', folder), { recursive: true })
      await writeFile(path.join(cache, '.locks', folder, `${etag}.lock`), '')
    }
    if (spec.time) await ageTree(snap, spec.time)
    for (const ref of rev.refs ?? []) {
      const file = path.join(dir, 'refs', ...ref.split('/'))
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, rev.commit)
    }
    for (const missing of rev.noExist ?? []) {
      const marker = path.join(dir, '.no_exist', rev.commit, ...missing.split('/'))
      await mkdir(path.dirname(marker), { recursive: true })
      await writeFile(marker, '')
    }
  }
  for (const p of spec.partials ?? []) {
    const incomplete = path.join(blobsDir, `${p.etag}.incomplete`)
    await writeFile(incomplete, p.content)
    const files = [incomplete]
    if (p.sidecar) {
      const sidecar = `${incomplete}.parts`
      await writeFile(sidecar, JSON.stringify({ version: 1, etag: p.etag, size: p.content.length * 2, done: [{ start: 0, end: p.content.length }] }))
      files.push(sidecar)
    }
    if (p.mtime) for (const f of files) await utimes(f, p.mtime, p.mtime)
  }
  const etag = (commit: string, repoPath: string) => {
    const e = etags.get(`${commit}:${repoPath}`)
    if (!e) throw new Error(`no ${repoPath} at ${commit} in this fixture`)
    return e
  }
  return {
    dir,
    blobsDir,
    folder,
    etag,
    blob: (commit, repoPath) => path.join(blobsDir, etag(commit, repoPath)),
    snapshot: (commit, repoPath) => path.join(dir, 'snapshots', commit, ...(repoPath ? repoPath.split('/') : [])),
  }
}

/** Sets atime/mtime of a folder, everything in it, and links themselves (lutimes: their targets keep theirs). */
export async function ageTree(dir: string, when: Date): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) await ageTree(p, when)
    else await lutimes(p, when, when)
  }
  await utimes(dir, when, when)
}
