// What hfx can add to a "not found" before it is shown, with one or two cheap requests made only after the
// 404: the branches and tags of a repo whose revision is unknown (so the hint lists them), and whether a repo
// that is not a model exists as a dataset or space (the usual slip: `org/name` for `datasets/org/name`).
// These requests are best effort: if they fail, the original error is shown as it was.
import { RepoNotFoundError, RevisionNotFoundError, type RepoRefs } from '../../errors.js'
import { refsUrl, repoApiUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef, type RepoType } from '../../repo/repo-ref.js'
import { getJson, send, type HubIO } from '../get-json.js'
import * as transport from '../transport.js'

const REPO_TYPES: RepoType[] = ['model', 'dataset', 'space']

export async function explainNotFound(io: HubIO, ref: RepoRef, err: unknown): Promise<unknown> {
  if (err instanceof RevisionNotFoundError) {
    const refs = await listRefs(io, ref).catch(() => undefined)
    return refs ? new RevisionNotFoundError(err.repoId, err.revision, io.http.endpoint, refs) : err
  }
  if (err instanceof RepoNotFoundError && !err.elsewhere) {
    for (const type of REPO_TYPES.filter((t) => t !== ref.type)) {
      if (await exists(io, { ...ref, type })) {
        return new RepoNotFoundError(err.repoId, io.http.token !== undefined, io.http.endpoint, { type, name: repoName({ ...ref, type }) })
      }
    }
  }
  return err
}

/** GET /api/{type}s/{id}/refs → {branches: [{name, ref, targetCommit}], tags: […], converts: […]}. */
export async function listRefs(io: HubIO, ref: RepoRef): Promise<RepoRefs> {
  const { body } = await getJson(io, refsUrl(io.http.endpoint, ref), { endpoint: io.http.endpoint, repoId: repoName(ref) }, { maxBytes: 1024 * 1024 })
  const names = (list: unknown): string[] =>
    Array.isArray(list) ? list.flatMap((e) => (e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string' ? [(e as { name: string }).name] : [])) : []
  const b = body as { branches?: unknown; tags?: unknown } | null
  return { branches: names(b?.branches), tags: names(b?.tags) }
}

/** One request, no retries: whether the repo answers its info (a private one answers 401/404, as missing). */
async function exists(io: HubIO, ref: RepoRef): Promise<boolean> {
  try {
    const res = await send(io, repoApiUrl(io.http.endpoint, ref), { endpoint: io.http.endpoint, repoId: repoName(ref) })
    await transport.discard(res)
    return true
  } catch {
    return false
  }
}
