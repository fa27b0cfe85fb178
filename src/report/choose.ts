// Which printer a pull gets. Pure, so the rules below are tested as a table rather than by spawning.
import { envFlag } from '../settings.js'

export type OutputMode = 'json' | 'tty' | 'lines' | 'silent'

export interface OutputChoice {
  json?: boolean
  quiet?: boolean
  stderrIsTTY: boolean
  env: { HF_HUB_DISABLE_PROGRESS_BARS?: string; TERM?: string }
}

export function outputMode(o: OutputChoice): OutputMode {
  // --json owns stdout and says everything there; progress text on stderr as well would say it twice.
  if (o.json) return 'json'
  if (o.quiet) return 'silent'
  // TERM=dumb (Emacs shells, some CI runners that allocate a pty) cannot move the cursor.
  if (!o.stderrIsTTY || o.env.TERM === 'dumb' || envFlag(o.env.HF_HUB_DISABLE_PROGRESS_BARS)) return 'lines'
  return 'tty'
}
