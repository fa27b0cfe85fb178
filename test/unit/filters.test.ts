import { describe, test, expect } from 'vitest'
import { makeFilter, selectsAll, type Selection } from '../../src/select/filters.js'

const REPO = [
  '.gitattributes',
  'README.md',
  'config.json',
  'generation_config.json',
  'model-00001-of-00002.safetensors',
  'model-00002-of-00002.safetensors',
  'model.safetensors.index.json',
  'tokenizer.json',
  'original/consolidated.00.pth',
  'original/params.json',
  'original/tokenizer.model',
  'original_backup/x.bin',
  'sub/x.safetensors',
  'sub/deeper/y.safetensors',
  'sub/.hidden',
  'data/adam.json',
  'data/H100/adam.json',
  'gguf/model-Q4_K_M.gguf',
  'gguf/model-Q8_0.gguf',
  'gguf/model-Q3_K_S.gguf',
  'text_encoder/model.fp16.safetensors',
  'weird[1].bin',
  '{a,b}.txt',
  '!important.txt',
]

const select = (sel: Selection) => REPO.filter(makeFilter(sel))

describe('makeFilter (huggingface_hub fnmatch semantics)', () => {
  test.each<[string, Selection, string[]]>([
    ['no selection keeps everything', {}, REPO],
    ['empty lists keep everything', { files: [], include: [], exclude: [] }, REPO],
    [
      '* crosses / like fnmatch',
      { include: ['*.safetensors'] },
      ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'sub/x.safetensors', 'sub/deeper/y.safetensors', 'text_encoder/model.fp16.safetensors'],
    ],
    [
      'a trailing / selects the folder contents, not a sibling with the same prefix',
      { include: ['original/'] },
      ['original/consolidated.00.pth', 'original/params.json', 'original/tokenizer.model'],
    ],
    ['folder/* reaches nested files too (fnmatch)', { include: ['data/*.json'] }, ['data/adam.json', 'data/H100/adam.json']],
    [
      'exclude wins over include',
      { include: ['*.json'], exclude: ['original/*', 'data/'] },
      ['config.json', 'generation_config.json', 'model.safetensors.index.json', 'tokenizer.json'],
    ],
    ['exclude alone removes from everything', { exclude: ['*.safetensors', '*.gguf', '*.pth', '.*', '*/.*', '*.bin', '*.txt', '*.model', '*.json'] }, ['README.md']],
    ['* matches a leading dot', { include: ['*attributes', 'sub/*hidden'] }, ['.gitattributes', 'sub/.hidden']],
    ['.* selects dotfiles at the root and (fnmatch) nothing else', { include: ['.*'] }, ['.gitattributes']],
    ['dotfiles in folders match *', { include: ['sub/*'] }, ['sub/x.safetensors', 'sub/deeper/y.safetensors', 'sub/.hidden']],
    ['? is one character', { include: ['model-0000?-of-00002.safetensors'] }, ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']],
    ['[abc] classes', { include: ['*Q[48]_*.gguf'] }, ['gguf/model-Q4_K_M.gguf', 'gguf/model-Q8_0.gguf']],
    ['[a-z] ranges', { include: ['*Q[4-8]*.gguf'] }, ['gguf/model-Q4_K_M.gguf', 'gguf/model-Q8_0.gguf']],
    ['[!abc] negated classes', { include: ['gguf/*Q[!4]*.gguf'] }, ['gguf/model-Q8_0.gguf', 'gguf/model-Q3_K_S.gguf']],
    ['braces are literal', { include: ['{a,b}.txt'] }, ['{a,b}.txt']],
    ['a leading ! is literal', { include: ['!important.txt'] }, ['!important.txt']],
    ['substring patterns reach into folders', { exclude: ['*fp16*', '*/*', '.*', '*.txt', '*.bin', '*.json', '*.md'] }, ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']],
    ['matching is case-sensitive', { include: ['*.JSON'] }, []],
    ['an empty pattern matches nothing', { include: [''] }, []],
    ['an empty exclude excludes nothing', { exclude: [''] }, REPO],
    ['positional files are exact paths', { files: ['config.json', 'original/params.json'] }, ['config.json', 'original/params.json']],
    ['positional files may hold glob characters', { files: ['weird[1].bin'] }, ['weird[1].bin']],
    ['positional files may be globs', { files: ['*.gguf'] }, ['gguf/model-Q4_K_M.gguf', 'gguf/model-Q8_0.gguf', 'gguf/model-Q3_K_S.gguf']],
    ['positional folders with a trailing /', { files: ['original/'] }, ['original/consolidated.00.pth', 'original/params.json', 'original/tokenizer.model']],
    ['a positional folder without its trailing / is the folder', { files: ['original'] }, ['original/consolidated.00.pth', 'original/params.json', 'original/tokenizer.model']],
    ['an --include folder without its trailing / is the folder, not a sibling with the same prefix', { include: ['data/H100'] }, ['data/H100/adam.json']],
    ['an --exclude folder without its trailing / leaves the folder out', { include: ['data/'], exclude: ['data/H100'] }, ['data/adam.json']],
    ['a glob is not taken for a folder name', { include: ['data/H10?'] }, []],
    ['a leading ./ is dropped from positional files', { files: ['./config.json'] }, ['config.json']],
    ['files and includes are OR-ed', { files: ['README.md'], include: ['original/*.json'] }, ['README.md', 'original/params.json']],
    ['exclude applies to positional files too', { files: ['README.md', 'config.json'], exclude: ['*.md'] }, ['config.json']],
  ])('%s', (_name, sel, expected) => {
    expect(select(sel)).toEqual(expected)
  })
})

describe('selectsAll: what a manifest may record as the complete listing', () => {
  test.each<[Selection, boolean]>([
    [{}, true],
    [{ files: [], include: [], exclude: [] }, true],
    [{ files: ['a.json'] }, false],
    [{ include: ['*'] }, false], // everything in effect, but not recognised: conservative
    [{ exclude: ['*.bin'] }, false],
  ])('%j → %s', (sel, all) => {
    expect(selectsAll(sel)).toBe(all)
  })
})
