// The reporter of a --dry-run without --json: the plan goes to stdout as text, and that is all a dry run
// reports (the engine returns right after planning).
import { escapeControls } from '../escape-controls.js'
import { planText } from './plan-text.js'
import { SilentReporter } from './lines.js'
import type { PlanEvent } from '../pull/reporter.js'

export class DryRunReporter extends SilentReporter {
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
    super()
  }

  override planned(e: PlanEvent): void {
    // Paths come from the server: shown with control characters escaped.
    for (const line of planText(e)) this.write(escapeControls(line))
  }
}
