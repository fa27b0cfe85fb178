import { describe, expect, test } from 'vitest'
import { resumeCommand, shellQuote } from '../../src/report/resume-command.js'

describe('resumeCommand', () => {
  test('the same arguments, quoted for a POSIX shell', () => {
    expect(resumeCommand(['pull', 'acme/x@v1.0', '--include', '*.json', '--local-dir', "my model's dir"]).command).toBe(
      `hfx pull acme/x@v1.0 --include '*.json' --local-dir 'my model'\\''s dir'`,
    )
  })

  test.each([
    [['pull', 'acme/x', '--token', 'hf_secret', '-j', '4'], 'hfx pull acme/x -j 4'],
    [['pull', '--token=hf_secret', 'acme/x'], 'hfx pull acme/x'],
  ])('drops the token: %j', (args, command) => {
    expect(resumeCommand(args)).toEqual({ command, droppedToken: true })
  })

  test.each([
    ['plain-name_1.0', 'plain-name_1.0'],
    ['', "''"],
    ['a b', "'a b'"],
    ['$HOME', "'$HOME'"],
    ['refs/pr/1', 'refs/pr/1'],
  ])('shellQuote(%j) = %s', (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted)
  })
})
