// ModelScope as a mirror (`--mirror ms://` for the same id, `ms://org/name` for another): many models are
// published on both hubs, and a site in China reaches ModelScope faster than the Hub. Revision, listing and
// hashes still come from the Hub; ModelScope's own listing (one request, kept for the pull) says which of
// its files carry the very sha256 the Hub gives, and only those are asked of it. Files the Hub hashes with
// git's sha1 (small, non-LFS) cannot be matched before download, and come from the Hub.
import type { Hub, TreeFile } from '../hub/hub.js'
import type { RepoRef } from '../repo/repo-ref.js'
import type { Mirror, MirrorJob } from './mirror.js'

export function modelscopeMirror(hub: Hub, id: string | undefined): Mirror {
  const shown = `ms://${id ?? ''}`
  let listing: Promise<{ ref: RepoRef; commit: string; files: Map<string, TreeFile> }> | undefined
  const msRef = (job: MirrorJob): RepoRef => ({ type: job.ref.type, id: id ?? job.ref.id, hub: 'modelscope' })
  // Listed once, at ModelScope's default revision: the bytes asked of it are checked against the Hub's hashes.
  const list = (job: MirrorJob) =>
    (listing ??= (async () => {
      const ref = msRef(job)
      const { commit } = await hub.resolveRevision(ref)
      const files = new Map<string, TreeFile>()
      for await (const e of hub.listTree(ref, commit)) if (e.type === 'file') files.set(e.path, e)
      return { ref, commit, files }
    })())
  return {
    shown,
    io: hub.io,
    async skip(job) {
      if (job.expected.algorithm !== 'sha256') return ''
      const { files } = await list(job)
      const f = files.get(job.path)
      if (!f) return `${shown} has no ${job.path}`
      if (f.lfs?.oid !== job.expected.hex) return `${shown} lists other bytes for ${job.path} (sha256 ${f.lfs?.oid.slice(0, 12)}…, the Hub's ${job.expected.hex.slice(0, 12)}…)`
      return undefined
    },
    async locate(job) {
      const { ref, commit } = await list(job)
      return (await hub.locateFile(ref, commit, job.path)).url
    },
    close: async () => {},
  }
}
