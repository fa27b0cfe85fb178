import { describe, expect, test } from 'vitest'
import { expandPath, expandUser, expandVars } from '../../src/expand-path.js'

// Expected values are what CPython 3.11 prints for os.path.expandvars(os.path.expanduser(p)) with
// HOME=/home/u, X=/x, E= (empty) and UNSET not set.
const ENV = { HOME: '/home/u', X: '/x', E: '' }

describe('expandPath matches os.path.expandvars(os.path.expanduser(p))', () => {
  test.each([
    ['~', '/home/u'],
    ['~/a', '/home/u/a'],
    ['~/', '/home/u/'],
    ['~//a', '/home/u//a'],
    ['~nouser/a', '~nouser/a'],
    ['a/~/b', 'a/~/b'],
    ['/abs/path', '/abs/path'],
    ['$X/y', '/x/y'],
    ['${X}/y', '/x/y'],
    ['$Xy', '$Xy'],
    ['$E/a', '/a'],
    ['$UNSET/a', '$UNSET/a'],
    ['${UNSET}', '${UNSET}'],
    ['${X', '${X'],
    ['$', '$'],
    ['$$X', '$/x'],
    ['~$X', '~/x'],
    ['$X~', '/x~'],
    ['${X}${X}', '/x/x'],
    ['$X-1', '/x-1'],
    ['$é', '$é'],
  ])('%s → %s', (input, expected) => {
    expect(expandPath(input, ENV, '/home/u')).toBe(expected)
  })
})

describe('expandUser', () => {
  test('trailing slashes of the home folder are dropped; a home of / gives /', () => {
    expect(expandUser('~/a', '/home/u/')).toBe('/home/u/a')
    expect(expandUser('~/a', '/')).toBe('/a')
    expect(expandUser('~', '/')).toBe('/')
  })
})

describe('expandVars', () => {
  test('a value is inserted as it is, never expanded again', () => {
    expect(expandVars('$A/b', { A: '$X', X: '/x' })).toBe('$X/b')
    expect(expandVars('$A/b', { A: '~' })).toBe('~/b')
  })
})
