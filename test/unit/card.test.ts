import { expect, test } from 'vitest'
import { summarizeCard } from '../../src/summary/card.js'
import { fileTypeLabel, summarizeGguf } from '../../src/summary/gguf-summary.js'

test('card fields: strings become lists of one, configs keep their splits, junk is dropped', () => {
  expect(
    summarizeCard({
      license: 'apache-2.0', base_model: 'org/base', language: ['en', 'fr', 3], task_categories: 'text-generation',
      configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'data/train-*' }, 'junk'] }, { data_files: [] }, 'x'],
      pretty_name: 42,
    }),
  ).toEqual({ license: 'apache-2.0', baseModel: ['org/base'], language: ['en', 'fr'], taskCategories: ['text-generation'], configs: [{ name: 'default', splits: ['train'] }] })
  expect(summarizeCard({})).toEqual({})
  expect(summarizeCard({ license: 'other', license_name: 'llama3' }).license).toBe('other')
})

test('GGUF: architecture-namespaced keys, file_type label, the file name as a fallback', () => {
  expect(fileTypeLabel(15)).toBe('Q4_K_M')
  expect(fileTypeLabel(9999)).toBe('file_type 9999')
  const s = summarizeGguf({ path: 'q/model-IQ4_XS.gguf', size: 10 }, {
    'general.architecture': 'qwen2moe', 'qwen2moe.context_length': 32768n, 'qwen2moe.expert_count': 60, 'qwen2moe.expert_used_count': 4, 'llama.block_count': 99,
  }, { parameterCount: 1000, tensorCount: 3 })
  expect(s).toEqual({ path: 'q/model-IQ4_XS.gguf', size: 10, architecture: 'qwen2moe', quantization: 'IQ4_XS', contextLength: 32768, parameters: 1000, tensors: 3, experts: 60, expertsPerToken: 4 })
  expect(summarizeGguf({ path: 'x.gguf', size: 1 }, {}, {})).toEqual({ path: 'x.gguf', size: 1 })
})
