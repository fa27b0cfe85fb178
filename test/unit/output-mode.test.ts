import { describe, expect, test } from 'vitest'
import { outputMode } from '../../src/report/choose.js'
import { colorLevel } from '../../src/report/color.js'

describe('outputMode: which printer a pull gets', () => {
  test.each([
    [{ json: true, quiet: true, stderrIsTTY: true, env: {} }, 'json'],
    [{ json: true, stderrIsTTY: false, env: {} }, 'json'],
    [{ quiet: true, stderrIsTTY: true, env: {} }, 'silent'],
    [{ stderrIsTTY: true, env: {} }, 'tty'],
    [{ stderrIsTTY: false, env: {} }, 'lines'],
    [{ stderrIsTTY: true, env: { HF_HUB_DISABLE_PROGRESS_BARS: '1' } }, 'lines'],
    [{ stderrIsTTY: true, env: { HF_HUB_DISABLE_PROGRESS_BARS: 'TRUE' } }, 'lines'],
    [{ stderrIsTTY: true, env: { HF_HUB_DISABLE_PROGRESS_BARS: '0' } }, 'tty'],
    [{ stderrIsTTY: true, env: { TERM: 'dumb' } }, 'lines'],
  ] as const)('%o → %s', (choice, mode) => {
    expect(outputMode(choice)).toBe(mode)
  })
})

describe('colorLevel: NO_COLOR, FORCE_COLOR and the terminal', () => {
  test.each([
    [{}, true, 2, 2],
    [{}, true, 0, 1], // a TTY chalk does not recognise still gets basic colour
    [{}, false, 2, 0],
    [{ NO_COLOR: '1' }, true, 3, 0],
    [{ NO_COLOR: '' }, true, 3, 3], // empty means unset (no-color.org)
    [{ TERM: 'dumb' }, true, 1, 0],
    [{ FORCE_COLOR: '1' }, false, 0, 1],
    [{ FORCE_COLOR: '3', NO_COLOR: '1' }, false, 0, 3], // FORCE_COLOR wins, as in Node
    [{ FORCE_COLOR: '' }, false, 0, 1],
    [{ FORCE_COLOR: 'true' }, true, 2, 2],
    [{ FORCE_COLOR: '0' }, true, 3, 0],
    [{ FORCE_COLOR: 'false' }, true, 3, 0],
    [{ FORCE_COLOR: '9' }, true, 1, 3],
  ] as const)('%o, tty=%s, detected=%i → %i', (env, tty, detected, level) => {
    expect(colorLevel(env, tty, detected)).toBe(level)
  })
})
