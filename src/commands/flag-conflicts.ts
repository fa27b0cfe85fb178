// Flags that make no sense together are refused before any work, each pair with what to do instead. Letting
// one silently win (the plan printed despite --quiet, --cache-dir ignored beside --local-dir) hides a mistake
// the user only finds later. Pure: the caller says which flags were typed.
import { UsageError } from '../errors.js'

export interface Conflict {
  /** The two flags as the help shows them; the first long name of each is how commander stores it. */
  a: string
  b: string
  /** Why they clash, after "cannot be used together: ". */
  why: string
  /** What to type instead: the hint. */
  instead: string
}

/** `--dry-run` → `dryRun`, `-j/--max-files` → `maxFiles`: commander's attribute name. */
export function flagKey(flag: string): string {
  const long = flag.split('/').find((f) => f.startsWith('--')) ?? flag
  return long.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

/** The first rule whose two flags were both typed, as the usage error to throw. */
export function conflictIn(rules: Conflict[], typed: (key: string) => boolean): UsageError | undefined {
  const r = rules.find((r) => typed(flagKey(r.a)) && typed(flagKey(r.b)))
  return r && new UsageError(`${r.a} and ${r.b} cannot be used together: ${r.why}.`, r.instead)
}

export const PULL_CONFLICTS: Conflict[] = [
  {
    a: '--quiet',
    b: '--dry-run',
    why: 'a dry run prints nothing but its plan, which --quiet would hide',
    instead: 'Use --dry-run alone to read the plan, or --dry-run --json to parse it.',
  },
  {
    a: '--quiet',
    b: '--json',
    why: '--quiet prints only the path, --json only events',
    instead: "Use --json alone (its `done` event carries the path), or --quiet alone.",
  },
  {
    a: '--local-dir',
    b: '--cache-dir',
    why: '--local-dir writes plain files into its folder and uses no cache',
    instead: 'Use --local-dir DIR for a folder of plain files, or --cache-dir DIR (or HF_HUB_CACHE) for the shared cache, not both.',
  },
  {
    a: '--max-workers',
    b: '-j/--max-files',
    why: "--max-workers is hf download's name for --max-files",
    instead: 'Give the number of files in parallel once, with either of them.',
  },
]

export const LS_CONFLICTS: Conflict[] = [
  { a: '--flat', b: '--json', why: 'each is a whole output format', instead: 'Use --flat for one path a line, or --json for everything, machine-readable.' },
  { a: '--flat', b: '-l/--long', why: 'each is a whole output format', instead: 'Use --flat for paths only, or --long for sizes and hashes too.' },
  { a: '-l/--long', b: '--json', why: '--json already has every field --long shows', instead: 'Use --json alone.' },
]
