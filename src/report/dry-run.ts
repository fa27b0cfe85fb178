// The reporter of a --dry-run without --json: the plan goes to stdout as text, and that is all a dry run
// reports (the engine returns right after planning).
import { planText } from './plan-text.js'
import type { PlanEvent, Reporter } from './reporter.js'

export class DryRunReporter implements Reporter {
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  planned(e: PlanEvent): void {
    for (const line of planText(e)) this.write(line)
  }

  fileStarted(): void {}
  progress(): void {}
  retrying(): void {}
  waiting(): void {}
  fileDone(): void {}
  fileFailed(): void {}
  done(): void {}
  close(): void {}
}
