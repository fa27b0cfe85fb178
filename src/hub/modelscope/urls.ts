// Every ModelScope URL hfx requests, built in one place so encoding is decided once. Query values go through
// URLSearchParams (the modelscope library quote_plus-encodes the same values: '/' in FilePath becomes %2F).
import type { RepoRef } from '../../repo/repo-ref.js'

type Repo = Pick<RepoRef, 'type' | 'id'>

/** org/name with each part encoded; the id was validated by parseRepoRef, so this only guards the URL shape. */
function idPath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/')
}

function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()
}

export function modelRevisionsUrl(endpoint: string, id: string): string {
  return `${endpoint}/api/v1/models/${idPath(id)}/revisions`
}

/** The whole recursive listing in one answer: the model files API has no pages (the library reads one). */
export function modelFilesUrl(endpoint: string, id: string, revision: string): string {
  return `${endpoint}/api/v1/models/${idPath(id)}/repo/files?${query({ Revision: revision, Recursive: 'True' })}`
}

/** Datasets are listed by their numeric hub id, which `datasetInfoUrl` answers. */
export function datasetInfoUrl(endpoint: string, id: string): string {
  return `${endpoint}/api/v1/datasets/${idPath(id)}`
}

export function datasetTreeUrl(endpoint: string, hubId: string, revision: string, page: number, pageSize: number): string {
  const q = query({ Revision: revision, Root: '/', Recursive: 'True', PageNumber: page, PageSize: pageSize })
  return `${endpoint}/api/v1/datasets/${encodeURIComponent(hubId)}/repo/tree?${q}`
}

/** Where a file's bytes are (Range honoured); the server may redirect large files to object storage. */
export function fileUrl(endpoint: string, ref: Repo, revision: string, path: string): string {
  if (ref.type === 'dataset') {
    // The library keeps FilePath last for datasets ("make sure the FilePath is the last parameter").
    return `${endpoint}/api/v1/datasets/${idPath(ref.id)}/repo?${query({ Source: 'SDK', Revision: revision, FilePath: path })}`
  }
  return `${endpoint}/api/v1/models/${idPath(ref.id)}/repo?${query({ Revision: revision, FilePath: path })}`
}

/** The repo's page on the website, for hints. */
export function webUrl(endpoint: string, ref: Repo): string {
  return `${endpoint}/${ref.type === 'dataset' ? 'datasets' : 'models'}/${ref.id}`
}

export function tokenPageUrl(endpoint: string): string {
  return `${endpoint}/my/myaccesstoken`
}
