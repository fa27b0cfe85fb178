import { describe, expect, test } from 'vitest'
import { conflictIn, flagKey, LS_CONFLICTS, PULL_CONFLICTS } from '../../src/commands/flag-conflicts.js'

describe('flag conflicts', () => {
  test.for([
    ['--dry-run', 'dryRun'],
    ['-j/--max-files', 'maxFiles'],
    ['--local-dir', 'localDir'],
    ['-l/--long', 'long'],
  ] as const)('%s is stored as %s', ([flag, key]) => {
    expect(flagKey(flag)).toBe(key)
  })

  test('the first pair typed together is the error, with the two flags in its message and what to do in its hint', () => {
    const typed = (...keys: string[]) => (k: string) => keys.includes(k)
    expect(conflictIn(PULL_CONFLICTS, typed('quiet', 'include'))).toBeUndefined()
    const e = conflictIn(PULL_CONFLICTS, typed('localDir', 'cacheDir', 'json'))
    expect(e?.message).toMatch(/^--local-dir and --cache-dir cannot be used together: /)
    expect(e?.hint).toContain('--local-dir DIR')
    expect(e?.exitCode).toBe(2)
    expect(conflictIn(LS_CONFLICTS, typed('flat', 'long'))?.message).toMatch(/^--flat and -l\/--long /)
  })
})
