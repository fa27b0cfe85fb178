import { describe, expect, test } from 'vitest'
import { EXIT, toHfxError } from '../../src/errors.js'

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, open '/x/y'`), { code, path: '/x/y' })
}

describe('toHfxError for a system error of the disk', () => {
  test.for(['ENOSPC', 'EDQUOT'])('%s: free some space, the partials are kept', (code) => {
    const e = toHfxError(systemError(code))
    expect(e.exitCode).toBe(EXIT.disk)
    expect(e.hint).toMatch(/Free some space/)
    expect(e.hint).toMatch(/partial files are kept/)
  })

  test.for(['EROFS', 'EACCES', 'EPERM'])('%s: a refused write, no space to free and no partial to speak of', (code) => {
    const e = toHfxError(systemError(code))
    expect(e.exitCode).toBe(EXIT.disk)
    expect(e.message).toContain('(/x/y)')
    expect(e.hint).not.toMatch(/space|partial/i)
    expect(e.hint).toMatch(/--cache-dir \/ --local-dir/)
  })
})
