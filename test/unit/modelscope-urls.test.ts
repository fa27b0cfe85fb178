// ModelScope URLs: the paths and query names the modelscope library uses, with values encoded.
import { expect, test } from 'vitest'
import { datasetInfoUrl, datasetTreeUrl, fileUrl, modelFilesUrl, modelRevisionsUrl, webUrl } from '../../src/hub/modelscope/urls.js'

const EP = 'https://www.modelscope.cn'

test('model API URLs', () => {
  expect(modelRevisionsUrl(EP, 'Qwen/Qwen2.5-7B')).toBe(`${EP}/api/v1/models/Qwen/Qwen2.5-7B/revisions`)
  expect(modelFilesUrl(EP, 'Qwen/Qwen2.5-7B', 'v1.0')).toBe(`${EP}/api/v1/models/Qwen/Qwen2.5-7B/repo/files?Revision=v1.0&Recursive=True`)
})

test('file URLs encode revision and path as query values (slashes included, as quote_plus does)', () => {
  expect(fileUrl(EP, { type: 'model', id: 'acme/tiny' }, 'feature/x', 'sub dir/a+b.json')).toBe(
    `${EP}/api/v1/models/acme/tiny/repo?Revision=feature%2Fx&FilePath=sub+dir%2Fa%2Bb.json`,
  )
  // FilePath last for datasets, as the library insists.
  expect(fileUrl(EP, { type: 'dataset', id: 'acme/rows' }, 'master', 'data/a.jsonl')).toBe(
    `${EP}/api/v1/datasets/acme/rows/repo?Source=SDK&Revision=master&FilePath=data%2Fa.jsonl`,
  )
})

test('dataset URLs: info by name, tree by numeric id with page parameters', () => {
  expect(datasetInfoUrl(EP, 'acme/rows')).toBe(`${EP}/api/v1/datasets/acme/rows`)
  expect(datasetTreeUrl(EP, '12345', 'master', 2, 100)).toBe(
    `${EP}/api/v1/datasets/12345/repo/tree?Revision=master&Root=%2F&Recursive=True&PageNumber=2&PageSize=100`,
  )
})

test('web pages for hints', () => {
  expect(webUrl(EP, { type: 'model', id: 'acme/tiny' })).toBe(`${EP}/models/acme/tiny`)
  expect(webUrl(EP, { type: 'dataset', id: 'acme/rows' })).toBe(`${EP}/datasets/acme/rows`)
})
