// Whether stderr gets colour, decided in one place. chalk 5 (its vendored supports-color) reads FORCE_COLOR
// and whether the stream is a TTY, but ignores NO_COLOR, and its default instance looks at stdout while our
// bars and lines go to stderr. So the level is computed here and handed to a Chalk instance of our own.
import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk'
import { processEnv } from '../settings.js'

export type ColorLevel = 0 | 1 | 2 | 3

export interface ColorEnv {
  FORCE_COLOR?: string
  NO_COLOR?: string
  TERM?: string
}

/**
 * FORCE_COLOR wins over NO_COLOR, as in Node itself: it is the more specific request (often set by a
 * wrapper that pipes our output to a terminal). NO_COLOR counts only when non-empty (no-color.org).
 * `detected` is what the terminal supports when neither is set.
 */
export function colorLevel(env: ColorEnv, isTTY: boolean, detected: ColorLevel = 1): ColorLevel {
  const force = env.FORCE_COLOR
  if (force !== undefined) {
    if (force === '' || force === 'true') return Math.max(1, detected) as ColorLevel
    if (force === 'false') return 0
    const n = Number.parseInt(force, 10)
    if (Number.isInteger(n)) return Math.max(0, Math.min(3, n)) as ColorLevel
  }
  if (env.NO_COLOR) return 0
  if (!isTTY || env.TERM === 'dumb') return 0
  return detected === 0 ? 1 : detected
}

/** The chalk instance for stderr under the current environment. */
export function stderrChalk(): ChalkInstance {
  const detected = (supportsColorStderr ? supportsColorStderr.level : 0) as ColorLevel
  return new Chalk({ level: colorLevel(processEnv(), Boolean(process.stderr.isTTY), detected) })
}
