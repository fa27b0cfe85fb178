// Fetches a repo's raw file listing at a revision name: models in one call (after checking the revision
// exists), datasets page by page.
import { ProtocolError } from '../../errors.js'
import type { RepoRef } from '../../repo/repo-ref.js'
import type { HubIO } from '../get-json.js'
import { ListingBudget } from '../listing-budget.js'
import { ModelScopeRevisionNotFoundError } from './errors.js'
import { DEFAULT_REVISION, pickRevision, readRevisionMap } from './listing.js'
import { getData } from './request.js'
import { datasetInfoUrl, datasetTreeUrl, modelFilesUrl, modelRevisionsUrl } from './urls.js'

export interface RawListing {
  revision: string
  files: unknown[]
}

/** The library's page size for dataset trees. */
const DATASET_PAGE_SIZE = 100
/** Guards against a server that never sends a short page (1M files is far beyond any dataset). */
const MAX_DATASET_PAGES = 10_000

function filesOf(data: unknown, what: string): unknown[] | null {
  const files = (data as { Files?: unknown } | null)?.Files
  if (files === null || files === undefined) return null
  if (!Array.isArray(files)) throw new ProtocolError(`ModelScope's file listing for ${what} is not a list.`)
  return files
}

export async function listRaw(io: HubIO, ref: RepoRef): Promise<RawListing> {
  return ref.type === 'dataset' ? listDataset(io, ref) : listModel(io, ref)
}

async function listModel(io: HubIO, ref: RepoRef): Promise<RawListing> {
  const endpoint = io.http.endpoint
  const ctx = { endpoint, ref }
  // The files API answers an unknown revision with Success and an empty (null) list, indistinguishable
  // from an empty repo; the revisions API is the only way to say "no such revision" (the library asks it too).
  const map = readRevisionMap(await getData(io, modelRevisionsUrl(endpoint, ref.id), ctx), ctx)
  const revision = pickRevision(map, ref.revision)
  if (!revision) throw new ModelScopeRevisionNotFoundError(ref, ref.revision ?? DEFAULT_REVISION, endpoint, map)
  const data = await getData(io, modelFilesUrl(endpoint, ref.id, revision), { ...ctx, revision })
  return { revision, files: filesOf(data, ref.id) ?? [] }
}

async function listDataset(io: HubIO, ref: RepoRef): Promise<RawListing> {
  const endpoint = io.http.endpoint
  const ctx = { endpoint, ref }
  const info = (await getData(io, datasetInfoUrl(endpoint, ref.id), ctx)) as { Id?: unknown } | null
  const hubId = info?.Id
  if ((typeof hubId !== 'number' && typeof hubId !== 'string') || !/^\d+$/.test(String(hubId))) {
    throw new ProtocolError(`ModelScope's answer for dataset ${ref.id} has no numeric Id.`)
  }
  // Datasets have no revisions API that the library uses; an unknown revision shows as a missing list.
  const revision = ref.revision ?? DEFAULT_REVISION
  const files: unknown[] = []
  const seen = new Set<unknown>()
  const budget = new ListingBudget(`ModelScope's file listing for ${ref.id}`)
  for (let page = 1; ; page++) {
    if (page > MAX_DATASET_PAGES) throw new ProtocolError(`ModelScope's file listing for ${ref.id} does not end; refusing to follow it.`)
    const url = datasetTreeUrl(endpoint, String(hubId), revision, page, DATASET_PAGE_SIZE)
    const batch = filesOf(await getData(io, url, { ...ctx, revision }, budget), ref.id)
    if (batch === null) {
      if (page === 1 && ref.revision !== undefined) throw new ModelScopeRevisionNotFoundError(ref, revision, endpoint)
      break
    }
    // A server that ignores PageNumber sends page 1 again and again: stop at the first repeated path.
    for (const f of batch) {
      budget.entry()
      const path = (f as { Path?: unknown } | null)?.Path
      if (seen.has(path)) throw new ProtocolError(`ModelScope's file listing for ${ref.id} repeats ${JSON.stringify(path)} on page ${page}; refusing to follow it.`)
      seen.add(path)
    }
    files.push(...batch)
    // The library's end condition: a short page is the last one.
    if (batch.length < DATASET_PAGE_SIZE) break
  }
  return { revision, files }
}
