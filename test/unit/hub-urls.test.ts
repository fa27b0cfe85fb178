import { describe, test, expect } from 'vitest'
import {
  apiKind,
  encodeRepoPath,
  encodeRevision,
  pathsInfoUrl,
  rawUrl,
  redactUrl,
  repoInfoUrl,
  repoWebUrl,
  resolveUrl,
  splitEndpointCredentials,
  treeUrl,
  urlPrefix,
} from '../../src/repo/hub-urls.js'
import { maskCredentials } from '../../src/repo/mask-credentials.js'
import type { RepoType } from '../../src/repo/repo-ref.js'

const EP = 'https://huggingface.co'
const model = { type: 'model' as const, id: 'org/name' }
const dataset = { type: 'dataset' as const, id: 'org/data' }
const space = { type: 'space' as const, id: 'org/app' }

describe('kinds and prefixes', () => {
  test.each<[RepoType, string, string]>([
    ['model', 'models', ''],
    ['dataset', 'datasets', 'datasets/'],
    ['space', 'spaces', 'spaces/'],
  ])('%s', (type, kind, prefix) => {
    expect(apiKind(type)).toBe(kind)
    expect(urlPrefix(type)).toBe(prefix)
  })
})

describe('encoding', () => {
  test.each([
    ['main', 'main'],
    ['refs/pr/1', 'refs%2Fpr%2F1'],
    ['refs/convert/parquet', 'refs%2Fconvert%2Fparquet'],
    ['feature/a b', 'feature%2Fa%20b'],
    ['v1.0+x', 'v1.0%2Bx'],
  ])('revision %s -> %s', (rev, encoded) => {
    expect(encodeRevision(rev)).toBe(encoded)
  })

  test.each([
    ['config.json', 'config.json'],
    ['a/b/c.json', 'a/b/c.json'],
    ['my file.txt', 'my%20file.txt'],
    ['dir with space/é ü.json', 'dir%20with%20space/%C3%A9%20%C3%BC.json'],
    ['日本語/モデル.bin', '%E6%97%A5%E6%9C%AC%E8%AA%9E/%E3%83%A2%E3%83%87%E3%83%AB.bin'],
    ['a#b?c%d.txt', 'a%23b%3Fc%25d.txt'],
    ['x+y&z=1.txt', 'x%2By%26z%3D1.txt'],
  ])('path %s -> %s', (path, encoded) => {
    expect(encodeRepoPath(path)).toBe(encoded)
  })
})

describe('API URLs', () => {
  test.each([
    [repoInfoUrl(EP, model, 'main'), 'https://huggingface.co/api/models/org/name/revision/main'],
    [repoInfoUrl(`${EP}/`, dataset, 'refs/pr/1'), 'https://huggingface.co/api/datasets/org/data/revision/refs%2Fpr%2F1'],
    [repoInfoUrl(EP, space, 'v1'), 'https://huggingface.co/api/spaces/org/app/revision/v1'],
    [repoInfoUrl(EP, { type: 'model', id: 'gpt2' }, 'main'), 'https://huggingface.co/api/models/gpt2/revision/main'],
    [treeUrl(EP, model, 'main'), 'https://huggingface.co/api/models/org/name/tree/main'],
    [treeUrl(EP, model, 'main', undefined, { recursive: true }), 'https://huggingface.co/api/models/org/name/tree/main?recursive=true'],
    [treeUrl(EP, model, 'main', undefined, { recursive: true, expand: true }), 'https://huggingface.co/api/models/org/name/tree/main?recursive=true&expand=true'],
    [treeUrl(EP, model, 'main', undefined, { expand: true }), 'https://huggingface.co/api/models/org/name/tree/main?expand=true'],
    [treeUrl(EP, dataset, 'refs/convert/parquet', 'sub dir/x', { recursive: true }), 'https://huggingface.co/api/datasets/org/data/tree/refs%2Fconvert%2Fparquet/sub%20dir/x?recursive=true'],
    [pathsInfoUrl(EP, model, 'refs/pr/1'), 'https://huggingface.co/api/models/org/name/paths-info/refs%2Fpr%2F1'],
    [pathsInfoUrl('http://localhost:9000//', space, 'main'), 'http://localhost:9000/api/spaces/org/app/paths-info/main'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected)
  })
})

describe('file and web URLs', () => {
  test.each([
    [resolveUrl(EP, model, 'main', 'config.json'), 'https://huggingface.co/org/name/resolve/main/config.json'],
    [resolveUrl(EP, dataset, 'refs/pr/1', 'data/train 0.parquet'), 'https://huggingface.co/datasets/org/data/resolve/refs%2Fpr%2F1/data/train%200.parquet'],
    [resolveUrl(`${EP}/`, space, 'main', 'app.py'), 'https://huggingface.co/spaces/org/app/resolve/main/app.py'],
    [resolveUrl(EP, model, 'main', 'ü/é.json'), 'https://huggingface.co/org/name/resolve/main/%C3%BC/%C3%A9.json'],
    [rawUrl(EP, model, 'main', 'model.safetensors'), 'https://huggingface.co/org/name/raw/main/model.safetensors'],
    [rawUrl(EP, dataset, 'refs/convert/parquet', 'a b'), 'https://huggingface.co/datasets/org/data/raw/refs%2Fconvert%2Fparquet/a%20b'],
    [repoWebUrl(EP, model), 'https://huggingface.co/org/name'],
    [repoWebUrl(`${EP}/`, dataset), 'https://huggingface.co/datasets/org/data'],
    [repoWebUrl('https://mirror.example/hf/', space), 'https://mirror.example/hf/spaces/org/app'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected)
  })
})

describe('redactUrl', () => {
  test.each([
    ['https://cdn.example/repos/ab/cd?X-Amz-Signature=secret&X-Amz-Expires=3600', 'https://cdn.example/repos/ab/cd'],
    ['https://cdn.example/x#frag', 'https://cdn.example/x'],
    ['https://cdn.example/x?a=1#frag', 'https://cdn.example/x'],
    ['https://huggingface.co/org/name/resolve/main/config.json', 'https://huggingface.co/org/name/resolve/main/config.json'],
    ['https://user:pass@proxy.example:8080/x?token=1', 'https://user:***@proxy.example:8080/x'],
    ['https://hf_secret@mirror.example/x', 'https://***@mirror.example/x'],
    ['https://huggingface.co/org/name@x', 'https://huggingface.co/org/name@x'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })
})

describe('maskCredentials', () => {
  test.each([
    ['https://user:s3cret@mirror.example', 'https://user:***@mirror.example'],
    ['could not reach http://user:s3cret@127.0.0.1:9/api: ECONNREFUSED', 'could not reach http://user:***@127.0.0.1:9/api: ECONNREFUSED'],
    ['a=https://u:p1@a.example b=http://v:p2@b.example/x', 'a=https://u:***@a.example b=http://v:***@b.example/x'],
    ['https://token-only@mirror.example/', 'https://***@mirror.example/'],
    ['https://user:p%40ss%2Fw@mirror.example', 'https://user:***@mirror.example'],
    ['https://user:@mirror.example', 'https://user:***@mirror.example'],
  ])('%s', (text, masked) => {
    expect(maskCredentials(text)).toBe(masked)
  })

  test.each([
    'https://huggingface.co/org/name@v1.0',
    'hfx pull org/name@main',
    'mail me at someone@example.com',
    'https://huggingface.co/org/name/resolve/main/a@b.json',
  ])('leaves %j alone', (text) => {
    expect(maskCredentials(text)).toBe(text)
  })
})

describe('splitEndpointCredentials', () => {
  test('no credentials: the endpoint as given', () => {
    expect(splitEndpointCredentials('https://hf-mirror.com/hf')).toEqual({ endpoint: 'https://hf-mirror.com/hf' })
  })

  test.each([
    ['http://user:s3cret@127.0.0.1:8080', 'http://127.0.0.1:8080', 'user:s3cret'],
    ['https://user:s3cret@mirror.example/hf/', 'https://mirror.example/hf', 'user:s3cret'],
    ['https://us%20er:p%40ss%3Aw@mirror.example', 'https://mirror.example', 'us er:p@ss:w'],
    ['https://only-user@mirror.example', 'https://mirror.example', 'only-user:'],
  ])('%s: the endpoint without them, and a Basic header of the decoded pair', (raw, endpoint, pair) => {
    expect(splitEndpointCredentials(raw)).toEqual({ endpoint, basicAuth: `Basic ${Buffer.from(pair).toString('base64')}` })
  })
})
