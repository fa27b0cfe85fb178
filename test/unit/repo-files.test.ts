import { describe, expect, test } from 'vitest'
import type { TreeFile } from '../../src/hub/hub.js'
import { summarizeDatasetFiles, splitOf, dataFormat } from '../../src/summary/dataset-files.js'
import { fileKind, pickSafetensorsSet, shardsFromIndex, summarizeFiles, weightFormat } from '../../src/summary/repo-files.js'

const f = (path: string, size = 100): TreeFile => ({ type: 'file', path, size, oid: '0'.repeat(40) })
const paths = (fs: TreeFile[] | undefined) => fs?.map((x) => x.path)

describe('file kinds and formats', () => {
  test.each([
    ['model-00001-of-00002.safetensors', 'safetensors'],
    ['Q4/model.Q4_K_M.gguf', 'gguf'],
    ['pytorch_model.bin', 'pytorch'],
    ['training_args.bin', undefined],
    ['consolidated.00.pth', 'pytorch'],
    ['onnx/model.onnx', 'onnx'],
    ['onnx/model.onnx_data', 'onnx'],
    ['tf_model.h5', 'tensorflow'],
    ['flax_model.msgpack', 'flax'],
    ['config.json', undefined],
  ])('%s → %s', (path, format) => {
    expect(weightFormat(path)).toBe(format)
  })

  test('kinds and totals', () => {
    const s = summarizeFiles([f('model.safetensors', 1000), f('tokenizer.json', 50), f('tokenizer.model', 30), f('config.json', 5), f('original/tokenizer.model', 30)])
    expect(fileKind('vocab.txt')).toBe('tokenizer')
    expect(s.byKind).toEqual({ weights: { files: 1, bytes: 1000 }, tokenizer: { files: 3, bytes: 110 }, other: { files: 1, bytes: 5 } })
    expect(s.weightFormats).toEqual([{ format: 'safetensors', files: 1, bytes: 1000 }])
    expect(s).not.toHaveProperty('unsafe')
  })

  test('files a pull refuses are counted and named with the reason', () => {
    const s = summarizeFiles([f('config.json', 5), f('.git/config', 7), f('.cache/huggingface/x', 1)])
    expect(s.files).toBe(3)
    expect(s.unsafe).toEqual([
      { path: '.git/config', reason: 'has a .git segment, which git itself refuses' },
      { path: '.cache/huggingface/x', reason: "with --local-dir only: inside .cache/huggingface/, a --local-dir's metadata folder" },
    ])
  })
})

describe('pickSafetensorsSet', () => {
  test('shards named after the root index; another copy is not counted', () => {
    const set = pickSafetensorsSet([
      f('model.safetensors.index.json'),
      f('model-00001-of-00002.safetensors'),
      f('model-00002-of-00002.safetensors'),
      f('consolidated.safetensors'),
      f('original/model.safetensors'),
    ])
    expect(set?.index?.path).toBe('model.safetensors.index.json')
    expect(paths(set?.shards)).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'])
    expect(paths(set?.others)).toEqual(['consolidated.safetensors', 'original/model.safetensors'])
  })
  test('diffusers: the transformer folder, not the VAE or text encoder', () => {
    const set = pickSafetensorsSet([f('vae/diffusion_pytorch_model.safetensors', 10_000), f('transformer/diffusion_pytorch_model.safetensors', 5_000), f('text_encoder/model.safetensors', 50_000)])
    expect(paths(set?.shards)).toEqual(['transformer/diffusion_pytorch_model.safetensors'])
  })
  test('no root files and no known folder: the biggest folder', () => {
    expect(paths(pickSafetensorsSet([f('a/x.safetensors', 10), f('b/y.safetensors', 20), f('b/z.safetensors', 20)])?.shards)).toEqual(['b/y.safetensors', 'b/z.safetensors'])
  })
  test('no safetensors', () => {
    expect(pickSafetensorsSet([f('pytorch_model.bin')])).toBeUndefined()
  })
})

describe('shardsFromIndex', () => {
  test('shards, tensors per shard, names the tree lacks, total_size', () => {
    const files = [f('sub/a.safetensors'), f('sub/b.safetensors')]
    const r = shardsFromIndex({ metadata: { total_size: '1234' }, weight_map: { x: 'b.safetensors', y: 'a.safetensors', z: 'a.safetensors', w: 'c.safetensors', bad: 7 } }, 'sub/model.safetensors.index.json', files)
    expect(paths(r?.shards)).toEqual(['sub/a.safetensors', 'sub/b.safetensors'])
    expect(r?.tensorsByShard.get('sub/a.safetensors')).toEqual(['y', 'z'])
    expect(r?.missing).toEqual(['sub/c.safetensors'])
    expect(r?.totalSize).toBe(1234)
  })
  test.each([null, [], { weight_map: 'x' }])('%j has no weight_map', (index) => {
    expect(shardsFromIndex(index, 'model.safetensors.index.json', [])).toBeUndefined()
  })
})

describe('dataset files', () => {
  test.each([
    ['data/train-00000-of-00002.parquet', 'train'],
    ['train/shard_0.jsonl', 'train'],
    ['data/validation.csv', 'validation'],
    ['dev.tsv', 'validation'],
    ['en/test-00001.parquet', 'test'],
    ['contest/data.parquet', undefined],
    ['trainer_state.json', undefined],
  ])('split of %s is %s', (path, split) => {
    expect(splitOf(path)).toBe(split)
  })
  test.each([
    ['a.parquet', 'parquet'],
    ['a.jsonl.gz', 'jsonl.gz'],
    ['a.JSON', 'json'],
    ['shard.tar', 'tar'],
    ['LICENSE', '(none)'],
  ])('format of %s is %s', (path, format) => {
    expect(dataFormat(path)).toBe(format)
  })
  test('README and .gitattributes are not data', () => {
    const s = summarizeDatasetFiles([f('README.md'), f('.gitattributes'), f('a.parquet', 5)])
    expect(s.files).toBe(1)
    expect(s.byFolder).toEqual([{ name: '.', files: 1, bytes: 5, formats: ['parquet'] }])
  })
})
