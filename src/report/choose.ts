// Which printer a pull gets. Pure, so the rules below are tested as a table rather than by spawning.

export type OutputMode = 'json' | 'tty' | 'lines' | 'silent'

export interface OutputChoice {
  json?: boolean
  quiet?: boolean
  stderrIsTTY: boolean
  env: { HF_HUB_DISABLE_PROGRESS_BARS?: string; TERM?: string }
}

/** huggingface_hub's boolean env parsing: these values (any case) mean true, anything else false. */
export function envTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 'on', 'yes', 'true'].includes(v.trim().toLowerCase())
}

export function outputMode(o: OutputChoice): OutputMode {
  // --json owns stdout and says everything there; progress text on stderr as well would say it twice.
  if (o.json) return 'json'
  if (o.quiet) return 'silent'
  // TERM=dumb (Emacs shells, some CI runners that allocate a pty) cannot move the cursor.
  if (!o.stderrIsTTY || o.env.TERM === 'dumb' || envTrue(o.env.HF_HUB_DISABLE_PROGRESS_BARS)) return 'lines'
  return 'tty'
}
