// `hfx serve --local-dir DIR --repo ID`: one repo downloaded with `--local-dir` (plain files, no blobs/), served
// by what its own metadata says: `.cache/huggingface/download/<path>.metadata` holds the commit and etag of each
// file. Only files whose metadata is current count (huggingface_hub's rule: the file was not modified more
// than a second after the metadata was written), because an edited file no longer has the etag clients will
// check it against. The folder has no refs: the default branch means the commit most recently pulled, and
// a commit (or a prefix of 4+ hex digits) means itself. Paths are checked, files opened without following a
// symlink, and nothing under `.cache/huggingface/` is ever a repo file.
import { lstat, realpath } from 'node:fs/promises'
import path from 'node:path'
import { localDirMetadataPath, parseLocalDirMetadata } from '../cache/layout.js'
import { openRegular, readSmallFile } from '../no-follow.js'
import { isSafeRepoPath, localDirConflict, safeJoin } from '../repo/safe-path.js'
import { walk } from '../cache/walk.js'
import type { OpenBlob, Repo, Resolved, ServeSource } from './cache-source.js'
import type { CachedFile } from './tree-entries.js'

/** A metadata file is three short lines; anything bigger is not one. */
const MAX_METADATA = 4096
const ETAG = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
const METADATA_DIR = path.join('.cache', 'huggingface', 'download')

interface LocalFile extends CachedFile {
  commit: string
  timestamp: number
  file: string
}

export class LocalDirSource implements ServeSource {
  constructor(
    readonly root: string,
    private readonly repo: Repo,
  ) {}

  async resolve(repo: Repo, revision: string): Promise<Resolved> {
    if (repo.type !== this.repo.type || repo.id !== this.repo.id) return { found: false, missing: 'repo' }
    const files = await this.scan()
    const commits = [...new Set(files.map((f) => f.commit))]
    if (revision === 'main' && files.length) {
      return { found: true, commit: files.reduce((a, b) => (b.timestamp > a.timestamp ? b : a)).commit }
    }
    const matches = /^[0-9a-f]{4,40}$/.test(revision) ? commits.filter((c) => c.startsWith(revision)) : []
    return matches.length === 1 ? { found: true, commit: matches[0] } : { found: false, missing: 'revision' }
  }

  async files(_repo: Repo, commit: string): Promise<CachedFile[]> {
    return (await this.scan()).filter((f) => f.commit === commit).map(({ path, etag, size }) => ({ path, etag, size }))
  }

  async open(_repo: Repo, commit: string, repoPath: string): Promise<OpenBlob | undefined> {
    const root = await realpath(this.root).catch(() => undefined)
    const found = root === undefined ? undefined : await this.entry(root, repoPath)
    if (found?.commit !== commit) return undefined
    const fh = await openRegular(found.file, 'r').catch(() => undefined)
    if (!fh) return undefined
    const { size } = await fh.stat()
    return { fh, etag: found.etag, size }
  }

  /** Every file with current metadata. */
  private async scan(): Promise<LocalFile[]> {
    const root = await realpath(this.root).catch(() => undefined)
    if (!root) return []
    const out: LocalFile[] = []
    for (const rel of await walk(path.join(root, METADATA_DIR))) {
      if (!rel.endsWith('.metadata')) continue
      const found = await this.entry(root, rel.slice(0, -'.metadata'.length))
      if (found) out.push(found)
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1))
  }

  /** One file, if its metadata is current and it is a regular file (no link) inside the folder. */
  private async entry(root: string, repoPath: string): Promise<LocalFile | undefined> {
    if (!isSafeRepoPath(repoPath) || localDirConflict(repoPath)) return undefined
    const text = await readSmallFile(localDirMetadataPath(root, repoPath), MAX_METADATA).catch(() => undefined)
    const meta = text === undefined ? undefined : parseLocalDirMetadata(text)
    if (!meta || !ETAG.test(meta.etag) || !/^[0-9a-f]{40}$/.test(meta.commit)) return undefined
    const file = safeJoin(root, repoPath)
    const st = await lstat(file).catch(() => undefined)
    if (!st?.isFile() || st.mtimeMs / 1000 - 1 > meta.timestamp) return undefined
    // A linked folder on the way would lead out of the folder: the real path must be the path itself.
    if ((await realpath(file).catch(() => '')) !== file) return undefined
    return { path: repoPath, etag: meta.etag, size: st.size, commit: meta.commit, timestamp: meta.timestamp, file }
  }
}
