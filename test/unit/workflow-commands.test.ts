import { describe, expect, test } from 'vitest'
import { sectionEnd, sectionName, sectionStart } from '../../src/report/gitlab-sections.js'
import { defuseLine, escapeData, escapeProperty, workflowCommand } from '../../src/report/workflow-commands.js'

describe('GitHub workflow commands', () => {
  test.each([
    ['100%', '100%25'],
    ['a\nb\r\nc', 'a%0Ab%0D%0Ac'],
    ['%0A stays text', '%250A stays text'],
    ['a:b,c', 'a:b,c'],
  ])('data %j → %j', (text, escaped) => {
    expect(escapeData(text)).toBe(escaped)
  })

  test.each([
    ['a:b,c', 'a%3Ab%2Cc'],
    ['x,title=pwned', 'x%2Ctitle=pwned'],
    ['50%\n', '50%25%0A'],
  ])('property %j → %j', (text, escaped) => {
    expect(escapeProperty(text)).toBe(escaped)
  })

  test('a command: properties in order, unset ones left out', () => {
    expect(workflowCommand('error', { file: 'dir/a,b.bin', line: undefined, title: 'hfx pull: x' }, 'failed: 1%\nhint')).toBe('::error file=dir/a%2Cb.bin,title=hfx pull%3A x::failed: 1%25%0Ahint')
    expect(workflowCommand('group', {}, 'acme/x  main')).toBe('::group::acme/x  main')
  })

  test.each([
    ['done a.bin 2 B', 'done a.bin 2 B'],
    ['::add-mask::x', '\\x3a:add-mask::x'],
    ['  ::warning::x', '  \\x3a:warning::x'],
    ['failed ##[set-output name=a]b', 'failed #\\x23[set-output name=a]b'],
    ['done a::b.txt', 'done a::b.txt'], // `::` only counts at the start of a line
    ['one # and ## and [', 'one # and ## and ['],
  ])('a plain line %j is shown as %j', (line, shown) => {
    expect(defuseLine(line)).toBe(shown)
  })
})

describe('GitLab sections', () => {
  test('a name keeps only the characters GitLab allows', () => {
    expect(sectionName('hfx_pull_1_acme/Qwen2.5 7B@main')).toBe('hfx_pull_1_acme_Qwen2.5_7B_main')
  })

  test('start and end markers', () => {
    expect(sectionStart('a/b', 1700000000, 'acme/x  main')).toBe('\x1b[0Ksection_start:1700000000:a_b[collapsed=true]\r\x1b[0Kacme/x  main')
    expect(sectionEnd('a/b', 1700000001)).toBe('\x1b[0Ksection_end:1700000001:a_b\r\x1b[0K')
  })
})
