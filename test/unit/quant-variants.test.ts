// Grouping a repo's listing into weight variants, with file lists shaped like real GGUF repos (bartowski's flat
// files, unsloth's folders of split files, TheBloke's dotted names, lower-case names, vision projectors).
import { describe, expect, test } from 'vitest'
import { findVariant, groupVariants, quantName } from '../../src/select/quant-variants.js'

const GB = 1e9
const f = (path: string, size = 1) => ({ path, size })

describe('quantName', () => {
  test.each([
    ['Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', 'Q4_K_M'],
    ['llama-2-7b.Q5_K_S.gguf', 'Q5_K_S'],
    ['model-q4_k_m.gguf', 'Q4_K_M'],
    ['Qwen3-30B-A3B-IQ2_XXS.gguf', 'IQ2_XXS'],
    ['Qwen3-8B-UD-Q4_K_XL.gguf', 'UD-Q4_K_XL'],
    ['Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00009.gguf', 'Q4_K_M'],
    ['UD-IQ1_S/DeepSeek-R1-UD-IQ1_S-00002-of-00003.gguf', 'UD-IQ1_S'],
    ['BF16/model-00001-of-00004.gguf', 'BF16'], // only the folder names it
    ['gemma-3-4b-it-f16.gguf', 'F16'],
    ['Qwen2.5-7B-Instruct-Q4_0_4_4.gguf', 'Q4_0_4_4'],
    ['gpt-oss-20b-MXFP4.gguf', 'MXFP4'],
  ])('%s → %s', (path, name) => {
    expect(quantName(path)).toBe(name)
  })

  test.each(['Qwen3-8B.gguf', 'phi-2-q4.gguf', 'Q4/model.gguf'])('%s names no quantization', (path) => {
    expect(quantName(path)).toBeUndefined()
  })
})

describe('groupVariants', () => {
  test('bartowski-style flat files: one variant each, smallest first, mmproj kept apart, other files ignored', () => {
    const set = groupVariants([
      f('README.md', 10),
      f('Llama-3.2-11B-Vision-Q8_0.gguf', 11.5 * GB),
      f('Llama-3.2-11B-Vision-Q4_K_M.gguf', 6.7 * GB),
      f('Llama-3.2-11B-Vision-IQ2_M.gguf', 3.9 * GB),
      f('mmproj-Llama-3.2-11B-Vision-f16.gguf', 1.9 * GB),
      f('Llama-3.2-11B-Vision.imatrix', 7e6),
    ])
    expect(set.variants.map((v) => [v.name, v.files, v.totalBytes])).toEqual([
      ['IQ2_M', ['Llama-3.2-11B-Vision-IQ2_M.gguf'], 3.9 * GB],
      ['Q4_K_M', ['Llama-3.2-11B-Vision-Q4_K_M.gguf'], 6.7 * GB],
      ['Q8_0', ['Llama-3.2-11B-Vision-Q8_0.gguf'], 11.5 * GB],
    ])
    expect(set.extras).toEqual(['mmproj-Llama-3.2-11B-Vision-f16.gguf'])
  })

  test('unsloth-style folders of split files: the parts are summed into one variant', () => {
    const set = groupVariants([
      f('Q4_K_M/DeepSeek-V3-Q4_K_M-00002-of-00003.gguf', 49 * GB),
      f('Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00003.gguf', 49 * GB),
      f('Q4_K_M/DeepSeek-V3-Q4_K_M-00003-of-00003.gguf', 6 * GB),
      f('UD-Q2_K_XL/DeepSeek-V3-UD-Q2_K_XL-00001-of-00002.gguf', 49 * GB),
      f('UD-Q2_K_XL/DeepSeek-V3-UD-Q2_K_XL-00002-of-00002.gguf', 30 * GB),
      f('mmproj-F16.gguf', 2e6),
      f('config.json', 100),
    ])
    expect(set.variants.map((v) => v.name)).toEqual(['UD-Q2_K_XL', 'Q4_K_M'])
    expect(set.variants[1]).toEqual({
      name: 'Q4_K_M',
      files: ['Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00003.gguf', 'Q4_K_M/DeepSeek-V3-Q4_K_M-00002-of-00003.gguf', 'Q4_K_M/DeepSeek-V3-Q4_K_M-00003-of-00003.gguf'],
      totalBytes: 104 * GB,
    })
    expect(set.extras).toEqual(['mmproj-F16.gguf'])
  })

  test('names differing only in case are one variant; an unrecognised GGUF keeps its stem', () => {
    const set = groupVariants([f('model-q8_0.gguf', 8), f('Model-Q8_0.gguf', 8), f('ggml-model.gguf', 4)])
    expect(set.variants).toEqual([
      { name: 'ggml-model', files: ['ggml-model.gguf'], totalBytes: 4 },
      { name: 'Q8_0', files: ['Model-Q8_0.gguf', 'model-q8_0.gguf'], totalBytes: 16 },
    ])
  })

  test('safetensors in precision folders are variants with their whole folder; root weights are not', () => {
    const set = groupVariants([
      f('model.safetensors', 16),
      f('config.json', 1),
      f('FP8/config.json', 1),
      f('FP8/model-00001-of-00002.safetensors', 4),
      f('FP8/model-00002-of-00002.safetensors', 4),
      f('BF16/model.safetensors', 16),
      f('BF16/config.json', 1),
    ])
    expect(set.variants).toEqual([
      { name: 'FP8', files: ['FP8/config.json', 'FP8/model-00001-of-00002.safetensors', 'FP8/model-00002-of-00002.safetensors'], totalBytes: 9 },
      { name: 'BF16', files: ['BF16/config.json', 'BF16/model.safetensors'], totalBytes: 17 },
    ])
  })

  test('a repo without GGUF files or precision folders has no variants', () => {
    expect(groupVariants([f('model-00001-of-00002.safetensors'), f('config.json'), f('original/consolidated.00.pth')])).toEqual({ variants: [], extras: [] })
  })
})

test('findVariant matches a tag case-insensitively, as ollama does', () => {
  const set = groupVariants([f('m-Q4_K_M.gguf'), f('m-UD-Q4_K_XL.gguf')])
  expect(findVariant(set, 'q4_k_m')?.name).toBe('Q4_K_M')
  expect(findVariant(set, 'ud-q4_k_xl')?.name).toBe('UD-Q4_K_XL')
  expect(findVariant(set, 'Q4_K_XL')).toBeUndefined()
})
