// Resolves a revision (branch, tag, refs/pr/N, short or full sha) to the one commit a run works from, with
// what the Hub's repo info says about the repo (gating, tags, card data).
import { ProtocolError } from '../../errors.js'
import { repoInfoUrl } from '../../repo/hub-urls.js'
import { repoName, type RepoRef } from '../../repo/repo-ref.js'
import { getJson, type HubIO } from '../get-json.js'
import type { ApiModelFacts, RepoInfo } from '../hub.js'

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
    model: modelFacts(info),
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The model info's `config` {architectures, model_type} and `safetensors` {parameters, total}, checked field by field. */
function modelFacts(info: Record<string, unknown>): ApiModelFacts | undefined {
  const facts: ApiModelFacts = {}
  const config = isObj(info.config) ? info.config : {}
  if (Array.isArray(config.architectures)) {
    const names = config.architectures.filter((a): a is string => typeof a === 'string')
    if (names.length) facts.architectures = names
  }
  if (typeof config.model_type === 'string' && config.model_type) facts.modelType = config.model_type
  const st = isObj(info.safetensors) ? info.safetensors : undefined
  if (st && isObj(st.parameters) && typeof st.total === 'number' && Number.isSafeInteger(st.total) && st.total >= 0) {
    const parameters = Object.fromEntries(
      Object.entries(st.parameters).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isSafeInteger(e[1]) && e[1] >= 0),
    )
    facts.safetensors = { parameters, total: st.total }
  }
  return Object.keys(facts).length ? facts : undefined
}
