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
    expect(resumeCommand(args)).toEqual({ command, droppedToken: true, maskedPassword: false })
  })

  test.each([
    [['pull', 'acme/x', '--endpoint', 'https://user:s3cret@mirror.example'], "hfx pull acme/x --endpoint 'https://user:***@mirror.example'"],
    [['pull', 'acme/x', '--endpoint=http://user:s3cret@127.0.0.1:8080/hf'], "hfx pull acme/x '--endpoint=http://user:***@127.0.0.1:8080/hf'"],
    [['pull', 'https://user:s3cret@huggingface.co/acme/x'], "hfx pull 'https://user:***@huggingface.co/acme/x'"],
  ])('masks a password in a URL but keeps the argument: %j', (args, command) => {
    expect(resumeCommand(args)).toEqual({ command, droppedToken: false, maskedPassword: true })
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
