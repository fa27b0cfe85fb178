// The plain lines of lines.ts, framed for the CI service running the pull. Each repo's lines go in a folded
// group (GitHub's ::group::, GitLab's sections), opened when its plan is known and closed before its summary
// line, so a collapsed log still reads "complete: …" or "incomplete: …" under each repo. On GitHub a failed
// file and the error that ends the run also become ::error annotations, shown on the run's page.
//
// One reporter may see several pulls (a lockfile's repos, pulled one after another): a new plan closes the
// group still open. A reporter per repo works as well: close() ends whatever group it opened.
//
// Retries stay plain `warning:` lines, not ::warning:: annotations: on a shared runner a 429 that a retry
// gets past is routine, GitHub shows only the first 10 warnings of a step, and the failures must not be
// buried under them.
import { escapeControls } from '../escape-controls.js'
import { formatHeader } from '../format.js'
import { maskCredentials } from '../repo/mask-credentials.js'
import { sectionEnd, sectionName, sectionStart } from './gitlab-sections.js'
import { LineReporter } from './lines.js'
import { PassThroughReporter } from './pass-through.js'
import { defuseLegacy, defuseLine, workflowCommand } from './workflow-commands.js'
import type { HfxError } from '../errors.js'
import type { PlannedFile } from '../pull/plan.js'
import type { PlanEvent, PullSummary } from '../pull/reporter.js'
import type { CiService } from '../settings.js'

export class CiLineReporter extends PassThroughReporter {
  private repo = ''
  private section?: string
  private sections = 0
  /** Error texts already annotated: the error that ends the run is usually the first failed file's. */
  private readonly annotated = new Set<string>()

  constructor(
    private readonly ci: CiService,
    private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    // LineReporter escapes control characters; on GitHub its lines must also carry no workflow command.
    super(new LineReporter(ci === 'github' ? (l) => write(defuseLine(l)) : write))
  }

  override planned(e: PlanEvent): void {
    this.endGroup()
    this.repo = e.repo
    this.beginGroup(this.shown(formatHeader(e.repo, e.revision, e.commit)))
    super.planned(e)
  }

  override fileFailed(f: PlannedFile, error: string): void {
    super.fileFailed(f, error)
    this.annotate(error, this.shown(f.path))
  }

  override done(s: PullSummary): void {
    this.endGroup()
    super.done(s)
  }

  override close(error?: HfxError): void {
    this.endGroup()
    super.close(error)
    if (error && !this.annotated.has(error.message)) this.annotate(error.message, undefined, error.hint)
  }

  /** Server text as an annotation or a header shows it: no control characters, no credentials, on GitHub no `##[`. */
  private shown(text: string): string {
    const escaped = escapeControls(maskCredentials(text))
    return this.ci === 'github' ? defuseLegacy(escaped) : escaped
  }

  private annotate(message: string, file?: string, hint?: string): void {
    this.annotated.add(message)
    if (this.ci !== 'github') return
    const title = this.repo ? `hfx pull ${this.shown(this.repo)}` : 'hfx pull'
    this.write(workflowCommand('error', { file, title }, `${this.shown(message)}${hint ? `\n${this.shown(hint)}` : ''}`))
  }

  private beginGroup(header: string): void {
    if (this.ci === 'github') {
      this.write(workflowCommand('group', {}, header))
      this.section = 'group'
    } else {
      this.section = `hfx_pull_${++this.sections}_${sectionName(this.repo)}`
      this.write(sectionStart(this.section, this.nowSeconds(), header))
    }
  }

  private endGroup(): void {
    if (this.section === undefined) return
    this.write(this.ci === 'github' ? '::endgroup::' : sectionEnd(this.section, this.nowSeconds()))
    this.section = undefined
  }
}
