import { describe, expect, test } from 'vitest'
import { EntryNotFoundError } from '../../src/errors.js'
import type { TreeFile } from '../../src/hub/hub.js'
import { absentFiles, selectFiles } from '../../src/pull/select.js'

const tree: TreeFile[] = ['config.json', 'original/params.json', 'model.safetensors'].map((path) => ({ type: 'file', path, size: 1, oid: 'x' }))

describe('absentFiles: the names huggingface_hub would record under .no_exist/<commit>/', () => {
  test.each<[string[], string[]]>([
    [['config.json'], []],
    [['adapter_config.json'], ['adapter_config.json']],
    [['./sub/missing.json', 'sub/missing.json'], ['sub/missing.json']], // read as filters.ts reads them, once
    [['original'], []], // a folder, not a missing file
    [['original/'], []],
    [['*.gguf'], []], // a glob that matches nothing names no file
    [['model[1].bin', 'a?.json'], []],
    [['../escape.json', '/abs.json', 'a//b.json'], []], // never a path outside .no_exist/<commit>/
    [['config.json', 'generation_config.json', 'original/x.json'], ['generation_config.json', 'original/x.json']],
  ])('%j → %j', (files, absent) => {
    expect(absentFiles(tree, { files })).toEqual(absent)
  })

  test('no positional files, no markers', () => {
    expect(absentFiles(tree, { include: ['*.gguf'] })).toEqual([])
  })

  test('selectFiles still refuses the missing name', () => {
    expect(() => selectFiles(tree, { files: ['adapter_config.json'] }, 'acme/x', 'main')).toThrow(EntryNotFoundError)
  })
})
