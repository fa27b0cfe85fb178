// Appends the pull's markdown summary (step-summary.ts) to $GITHUB_STEP_SUMMARY once the run has ended,
// whatever printer the pull had: the file is for the run's page, not the log. Appended, never rewritten: earlier
// steps of the job wrote there too. A file that cannot be written costs the summary, not the pull: a warning.
import { appendFileSync } from 'node:fs'
import { escapeControls } from '../escape-controls.js'
import { maskCredentials } from '../repo/mask-credentials.js'
import { PassThroughReporter } from './pass-through.js'
import { stepSummary } from './step-summary.js'
import { workflowCommand } from './workflow-commands.js'
import type { HfxError } from '../errors.js'
import type { PullSummary, Reporter } from '../pull/reporter.js'

export class StepSummaryReporter extends PassThroughReporter {
  private readonly pulls: PullSummary[] = []
  private written = false

  constructor(
    inner: Reporter,
    private readonly file: string,
    private readonly warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {
    super(inner)
  }

  override done(s: PullSummary): void {
    this.pulls.push(s)
    super.done(s)
  }

  /** Synchronous: on a second Ctrl-C, close() is the last thing that runs before the process exits. */
  override close(error?: HfxError): void {
    super.close(error)
    if (this.written || (!this.pulls.length && !error)) return
    this.written = true
    try {
      appendFileSync(this.file, stepSummary(this.pulls, error && maskCredentials(error.message)))
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? String(err)
      this.warn(workflowCommand('warning', {}, `could not append the pull's summary to GITHUB_STEP_SUMMARY (${escapeControls(this.file)}): ${why}`))
    }
  }
}
