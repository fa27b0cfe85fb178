import { describe, test, expect } from 'vitest'
import { UsageError } from '../../src/errors.js'
import { formatRepoRef, isFullCommit, parseRepoRef, type RepoRef } from '../../src/repo/repo-ref.js'
import { thrown } from '../helpers/thrown.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('parseRepoRef accepts', () => {
  test.each<[string, RepoRef]>([
    // plain forms
    ['org/name', { type: 'model', id: 'org/name' }],
    ['gpt2', { type: 'model', id: 'gpt2' }],
    ['  org/name  ', { type: 'model', id: 'org/name' }],
    ['org/name/', { type: 'model', id: 'org/name' }],
    ['Org_1/my.model-v2', { type: 'model', id: 'Org_1/my.model-v2' }],
    ['org/name@main', { type: 'model', id: 'org/name', revision: 'main' }],
    ['org/name@v1.0', { type: 'model', id: 'org/name', revision: 'v1.0' }],
    [`org/name@${SHA}`, { type: 'model', id: 'org/name', revision: SHA }],
    ['org/name@abc1234', { type: 'model', id: 'org/name', revision: 'abc1234' }],
    ['org/name@refs/pr/1', { type: 'model', id: 'org/name', revision: 'refs/pr/1' }],
    ['org/name@refs%2Fpr%2F1', { type: 'model', id: 'org/name', revision: 'refs/pr/1' }],
    ['org/name@refs/convert/parquet', { type: 'model', id: 'org/name', revision: 'refs/convert/parquet' }],
    ['org/name@main/config.json', { type: 'model', id: 'org/name', revision: 'main', path: 'config.json' }],
    ['org/name@refs/pr/1/a/b.json', { type: 'model', id: 'org/name', revision: 'refs/pr/1', path: 'a/b.json' }],
    // full branch and tag names, as list_repo_refs reports them
    ['org/name@refs/tags/v1.0', { type: 'model', id: 'org/name', revision: 'refs/tags/v1.0' }],
    ['org/name@refs/tags/v1.0/', { type: 'model', id: 'org/name', revision: 'refs/tags/v1.0' }],
    ['org/name@refs/tags/v1.0/config.json', { type: 'model', id: 'org/name', revision: 'refs/tags/v1.0', path: 'config.json' }],
    ['org/name@refs/tags/release%2Fv2/a/b.json', { type: 'model', id: 'org/name', revision: 'refs/tags/release/v2', path: 'a/b.json' }],
    ['org/name@refs%2Ftags%2Frelease%2Fv2', { type: 'model', id: 'org/name', revision: 'refs/tags/release/v2' }],
    ['org/name@refs/heads/dev', { type: 'model', id: 'org/name', revision: 'refs/heads/dev' }],
    ['org/name@refs/heads/dev/sub/x.json', { type: 'model', id: 'org/name', revision: 'refs/heads/dev', path: 'sub/x.json' }],
    ['datasets/org/name@refs/tags/v2', { type: 'dataset', id: 'org/name', revision: 'refs/tags/v2' }],
    ['org/name@refs', { type: 'model', id: 'org/name', revision: 'refs' }], // a branch named refs, nothing after it
    ['datasets/org/name', { type: 'dataset', id: 'org/name' }],
    ['datasets/squad', { type: 'dataset', id: 'squad' }],
    ['spaces/org/name@main', { type: 'space', id: 'org/name', revision: 'main' }],
    ['datasets/org/name@refs/convert/parquet', { type: 'dataset', id: 'org/name', revision: 'refs/convert/parquet' }],
    // hf://
    ['hf://org/name', { type: 'model', id: 'org/name' }],
    ['hf://gpt2', { type: 'model', id: 'gpt2' }],
    ['hf://models/org/name', { type: 'model', id: 'org/name' }],
    ['hf://datasets/org/name', { type: 'dataset', id: 'org/name' }],
    ['hf://spaces/org/name@v2', { type: 'space', id: 'org/name', revision: 'v2' }],
    ['hf://datasets/org/name/data/train.parquet', { type: 'dataset', id: 'org/name', path: 'data/train.parquet' }],
    ['hf://datasets/org/name@refs%2Fconvert%2Fparquet/default/train/0.parquet', { type: 'dataset', id: 'org/name', revision: 'refs/convert/parquet', path: 'default/train/0.parquet' }],
    ['hf://org/name@refs/pr/3/config.json', { type: 'model', id: 'org/name', revision: 'refs/pr/3', path: 'config.json' }],
    ['hf://org/name@refs/tags/v1/config.json', { type: 'model', id: 'org/name', revision: 'refs/tags/v1', path: 'config.json' }],
    ['hf://datasets/org/name@refs/heads/dev/data/train.parquet', { type: 'dataset', id: 'org/name', revision: 'refs/heads/dev', path: 'data/train.parquet' }],
    // browser URLs
    ['https://huggingface.co/org/name', { type: 'model', id: 'org/name' }],
    ['https://huggingface.co/org/name/', { type: 'model', id: 'org/name' }],
    ['http://huggingface.co/org/name', { type: 'model', id: 'org/name' }],
    ['https://hf.co/org/name', { type: 'model', id: 'org/name' }],
    ['https://www.huggingface.co/org/name', { type: 'model', id: 'org/name' }],
    ['https://HuggingFace.co/org/name?library=transformers#usage', { type: 'model', id: 'org/name' }],
    ['https://huggingface.co/gpt2', { type: 'model', id: 'gpt2' }],
    ['https://huggingface.co/gpt2/tree/main', { type: 'model', id: 'gpt2', revision: 'main' }],
    ['https://huggingface.co/gpt2/blob/main/config.json', { type: 'model', id: 'gpt2', revision: 'main', path: 'config.json' }],
    ['https://huggingface.co/org/tree', { type: 'model', id: 'org/tree' }],
    ['https://huggingface.co/org/tree/tree/main', { type: 'model', id: 'org/tree', revision: 'main' }],
    ['https://huggingface.co/org/name/tree/main', { type: 'model', id: 'org/name', revision: 'main' }],
    ['https://huggingface.co/org/name/tree/main/', { type: 'model', id: 'org/name', revision: 'main' }],
    ['https://huggingface.co/org/name/tree/main/original', { type: 'model', id: 'org/name', revision: 'main', path: 'original' }],
    ['https://huggingface.co/org/name/tree/refs%2Fpr%2F1', { type: 'model', id: 'org/name', revision: 'refs/pr/1' }],
    ['https://huggingface.co/org/name/tree/refs/pr/1/sub', { type: 'model', id: 'org/name', revision: 'refs/pr/1', path: 'sub' }],
    ['https://huggingface.co/org/name/blob/refs/tags/v1/config.json', { type: 'model', id: 'org/name', revision: 'refs/tags/v1', path: 'config.json' }],
    ['https://huggingface.co/org/name/blob/main/config.json', { type: 'model', id: 'org/name', revision: 'main', path: 'config.json' }],
    ['https://huggingface.co/org/name/resolve/main/a%20b/%C3%A9.json?download=true', { type: 'model', id: 'org/name', revision: 'main', path: 'a b/é.json' }],
    ['https://huggingface.co/org/name/raw/v1/README.md', { type: 'model', id: 'org/name', revision: 'v1', path: 'README.md' }],
    [`https://huggingface.co/org/name/commit/${SHA}`, { type: 'model', id: 'org/name', revision: SHA }],
    ['https://huggingface.co/org/name/discussions/12', { type: 'model', id: 'org/name' }],
    ['https://huggingface.co/datasets/org/name', { type: 'dataset', id: 'org/name' }],
    ['https://huggingface.co/datasets/org/name/tree/refs%2Fconvert%2Fparquet/default', { type: 'dataset', id: 'org/name', revision: 'refs/convert/parquet', path: 'default' }],
    ['https://huggingface.co/datasets/org/name/viewer/default/train', { type: 'dataset', id: 'org/name' }],
    ['https://huggingface.co/spaces/org/name', { type: 'space', id: 'org/name' }],
    ['https://huggingface.co/spaces/org/name/blob/main/app.py', { type: 'space', id: 'org/name', revision: 'main', path: 'app.py' }],
  ])('%s', (input, expected) => {
    expect(parseRepoRef(input)).toEqual(expected)
  })
})

describe('parseRepoRef with options', () => {
  test.each<[string, Parameters<typeof parseRepoRef>[1], RepoRef]>([
    ['org/name', { repoType: 'dataset' }, { type: 'dataset', id: 'org/name' }],
    ['datasets/org/name', { repoType: 'dataset' }, { type: 'dataset', id: 'org/name' }],
    ['org/name', { revision: 'v1' }, { type: 'model', id: 'org/name', revision: 'v1' }],
    ['org/name@v1', { revision: 'v1' }, { type: 'model', id: 'org/name', revision: 'v1' }],
    ['org/name', { revision: 'refs/pr/1' }, { type: 'model', id: 'org/name', revision: 'refs/pr/1' }],
    ['org/name@refs/tags/v1', { revision: 'refs/tags/v1' }, { type: 'model', id: 'org/name', revision: 'refs/tags/v1' }],
    ['hf://org/name@refs/tags/v1/a.json', { revision: 'refs/tags/v1' }, { type: 'model', id: 'org/name', revision: 'refs/tags/v1', path: 'a.json' }],
    ['http://localhost:8080/org/name/tree/dev', { endpoint: 'http://localhost:8080' }, { type: 'model', id: 'org/name', revision: 'dev' }],
    ['https://mirror.example/hf/datasets/org/name', { endpoint: 'https://mirror.example/hf/' }, { type: 'dataset', id: 'org/name' }],
    ['https://huggingface.co/org/name', { endpoint: 'http://localhost:8080' }, { type: 'model', id: 'org/name' }],
  ])('%s %j', (input, opts, expected) => {
    expect(parseRepoRef(input, opts)).toEqual(expected)
  })
})

describe('parseRepoRef rejects', () => {
  test.each<[string, Parameters<typeof parseRepoRef>[1]?]>([
    [''],
    ['   '],
    ['a/b/c'],
    ['models/org/name'],
    ['org/x/y'],
    ['/name'],
    ['org//name'],
    ['org/name@'],
    ['org/name@/x'],
    ['org/name@refs/pr'],
    ['org/name@refs/tags'],
    ['org/name@refs/tags/'],
    ['org/name@refs/tags//x'],
    ['org/name@refs/heads'],
    ['org/name@refs/foo/bar'], // not the branch `refs` with a path foo/bar: refused as ambiguous
    ['hf://org/name@refs/remotes/origin/main/x'],
    ['org/name@refs/tags/v1', { revision: 'v1' }],
    ['org/name@ma in'],
    ['org/name@main/../x'],
    ['org/../name'],
    ['..'],
    ['org/na me'],
    ['org/-name'],
    ['org/name-'],
    ['org/.name'],
    ['org/name.'],
    ['org/na--me'],
    ['org/na..me'],
    ['org/näme'],
    [`org/${'x'.repeat(97)}`],
    ['https://example.com/org/name'],
    ['https://huggingface.co/'],
    ['https://huggingface.co/org/name/wat/main'],
    ['https://huggingface.co/org/name/extra/thing'],
    ['https://huggingface.co/org/name/tree/%E0%A4%A'],
    ['http://[bad'],
    ['datasets/org/name', { repoType: 'model' }],
    ['https://huggingface.co/org/name', { repoType: 'dataset' }],
    ['hf://spaces/org/name', { repoType: 'dataset' }],
    ['org/name@v1', { revision: 'v2' }],
    ['https://huggingface.co/org/name/tree/main', { revision: 'dev' }],
    ['org/name', { revision: '' }],
  ])('%j %j', (input, opts) => {
    expect(() => parseRepoRef(input, opts)).toThrow(UsageError)
  })

  test('the message quotes the input and the hint lists the accepted forms', () => {
    const err = thrown(() => parseRepoRef('a/b/c')) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err!.message).toContain("'a/b/c'")
    expect(err!.hint).toMatch(/Accepted: org\/name, org\/name@revision, datasets\/org\/name/)
    expect(err!.exitCode).toBe(2)
  })

  test('a 96-character name is still accepted', () => {
    expect(parseRepoRef(`org/${'x'.repeat(96)}`).id).toHaveLength(100)
  })
})

describe('formatRepoRef', () => {
  test.each<[RepoRef, string]>([
    [{ type: 'model', id: 'org/name' }, 'org/name'],
    [{ type: 'model', id: 'gpt2', revision: 'main' }, 'gpt2@main'],
    [{ type: 'dataset', id: 'org/name', revision: 'v1' }, 'datasets/org/name@v1'],
    [{ type: 'space', id: 'org/name' }, 'spaces/org/name'],
    [{ type: 'dataset', id: 'org/name', revision: 'refs/convert/parquet', path: 'x' }, 'datasets/org/name@refs/convert/parquet'],
  ])('%j -> %s', (ref, text) => {
    expect(formatRepoRef(ref)).toBe(text)
    const { path: _path, ...rest } = ref
    expect(parseRepoRef(text)).toEqual(rest) // round trip
  })
})

describe('isFullCommit', () => {
  test.each<[string, boolean]>([
    [SHA, true],
    [SHA.slice(0, 39), false],
    [`${SHA}0`, false],
    [SHA.toUpperCase(), false],
    ['abc1234', false],
    ['main', false],
  ])('%s -> %s', (rev, full) => {
    expect(isFullCommit(rev)).toBe(full)
  })
})

describe('a weight variant tag (`:Q4_K_M`, as ollama names them)', () => {
  const allow = { allowVariant: true }
  test.each<[string, RepoRef]>([
    ['org/name:Q4_K_M', { type: 'model', id: 'org/name', variant: 'Q4_K_M' }],
    ['org/name:ud-q4_k_xl', { type: 'model', id: 'org/name', variant: 'ud-q4_k_xl' }],
    ['org/name@main:Q8_0', { type: 'model', id: 'org/name', revision: 'main', variant: 'Q8_0' }],
    ['org/name@refs/pr/1:Q8_0', { type: 'model', id: 'org/name', revision: 'refs/pr/1', variant: 'Q8_0' }],
    ['hf.co/org/name:Q4_K_M', { type: 'model', id: 'org/name', variant: 'Q4_K_M' }],
    ['huggingface.co/org/name', { type: 'model', id: 'org/name' }],
    ['ms://org/name:Q4_K_M', { type: 'model', id: 'org/name', variant: 'Q4_K_M', hub: 'modelscope' }],
    // After a file path the colon is part of the file name; hf:// never takes a tag.
    ['org/name@main/dir/a:b', { type: 'model', id: 'org/name', revision: 'main', path: 'dir/a:b' }],
    ['hf://org/name/a:b', { type: 'model', id: 'org/name', path: 'a:b' }],
  ])('%s', (input, expected) => {
    expect(parseRepoRef(input, allow)).toEqual(expected)
  })

  test('is refused by commands that do not act on one variant, with the reason', () => {
    const err = thrown(() => parseRepoRef('org/name:Q4_K_M')) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toBe("'org/name:Q4_K_M' names the weight variant ':Q4_K_M', which only hfx pull takes.")
  })

  test.each(['org/name:', 'org/name:Q4 K', 'org/name:Q4@main'])('%j is still invalid', (input) => {
    expect(thrown(() => parseRepoRef(input, allow))).toBeInstanceOf(UsageError)
  })
})
