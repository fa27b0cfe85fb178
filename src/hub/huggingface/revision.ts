// Resolves a revision (branch, tag, refs/pr/N, short or full sha) to the one commit a run works from, with
// what the Hub's repo info says about the repo (gating, tags, card data).
import { ProtocolError } from '../../errors.js'
import { repoInfoUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef } from '../../repo/repo-ref.js'
import { getJson, type HubIO } from '../get-json.js'
import type { RepoInfo } from '../hub.js'

export async function resolveRevision(io: HubIO, ref: RepoRef): Promise<RepoInfo> {
  const revision = ref.revision ?? 'main'
  const url = repoInfoUrl(io.http.endpoint, ref, revision)
  const { body } = await getJson(io, url, { endpoint: io.http.endpoint, repoId: repoName(ref), revision })
  const info = body as Record<string, unknown>
  if (!info || typeof info !== 'object' || typeof info.sha !== 'string' || !/^[0-9a-f]{40}$/.test(info.sha)) {
    throw new ProtocolError(`the Hub's answer for ${ref.id}@${revision} has no valid commit sha.`)
  }
  const gated = info.gated === 'auto' || info.gated === 'manual' ? info.gated : false
  return {
    id: typeof info.id === 'string' ? info.id : ref.id,
    commit: info.sha,
    revision,
    gated,
    private: info.private === true,
    tags: Array.isArray(info.tags) ? info.tags.filter((t): t is string => typeof t === 'string') : [],
    cardData: info.cardData && typeof info.cardData === 'object' ? (info.cardData as Record<string, unknown>) : {},
    libraryName: typeof info.library_name === 'string' ? info.library_name : undefined,
    pipelineTag: typeof info.pipeline_tag === 'string' ? info.pipeline_tag : undefined,
    lastModified: typeof info.lastModified === 'string' ? info.lastModified : undefined,
  }
}
