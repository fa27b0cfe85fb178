// --include / --exclude / positional files -> one predicate over repo paths, with the semantics of
// huggingface_hub's filter_repo_objects (allow_patterns / ignore_patterns), so a pattern copied from a
// snapshot_download call selects the same files here.
import picomatch from 'picomatch'

export interface Selection {
  files?: string[] // positional: exact paths or globs, OR'ed with include
  include?: string[]
  exclude?: string[]
}

type Matcher = (path: string) => boolean

/**
 * huggingface_hub matches with Python's fnmatch over the whole path: `*` crosses `/` (so `*.safetensors`
 * also selects `sub/x.safetensors`), dotfiles are not special, `[abc]` / `[!abc]` are classes, and braces,
 * extglobs and a leading `!` are plain characters. picomatch gets there with:
 * - `bash: true`: a lone `*` behaves as `**` and crosses `/`; backslash is a literal, not an escape;
 * - `dot: true`: `*` matches `.gitattributes` and `sub/.hidden`;
 * - `nobrace`, `noextglob`, `nonegate`: `{a,b}`, `+(x)`, `!x` stay literal, as in fnmatch;
 * - `[!` rewritten to `[^`, since picomatch reads `!` in a class literally.
 * - a plain name without a trailing '/' (`data/train`) also selects that folder, where fnmatch selects nothing.
 * Known gaps, harmless for repo paths: `?` does not match `/`, and `**` followed by a slash also matches files at the root
 * (as the newer huggingface_hub matcher does).
 */
const FNMATCH_OPTIONS: picomatch.PicomatchOptions = {
  bash: true,
  dot: true,
  nobrace: true,
  noextglob: true,
  nonegate: true,
  windows: false,
}

/** No file names, no --include, no --exclude: the whole repo. (`--include '*'` is not recognised as the same.) */
export function selectsAll(sel: Selection): boolean {
  return !sel.files?.length && !sel.include?.length && !sel.exclude?.length
}

export function makeFilter(sel: Selection): (path: string) => boolean {
  const positive = [...(sel.files ?? []).map(fileMatcher), ...(sel.include ?? []).map(globMatcher)]
  const negative = (sel.exclude ?? []).map(globMatcher)
  return (path) => (positive.length === 0 || positive.some((m) => m(path))) && !negative.some((m) => m(path))
}

const GLOB_CHARS = /[*?[]/

function globMatcher(pattern: string): Matcher {
  if (pattern === '') return () => false // huggingface_hub: an empty pattern matches nothing
  // A trailing '/' means the folder's contents (huggingface_hub appends '*'): `original/` -> `original/*`.
  const glob = (pattern.endsWith('/') ? `${pattern}*` : pattern).replace(/\[!/g, '[^')
  const matches = picomatch(glob, FNMATCH_OPTIONS)
  // hfx goes one step past fnmatch: a plain name (no glob characters) also means the folder of that name, so
  // `data/train` is `data/train/`. git cannot hold a file and a folder of one name, so nothing else changes.
  if (pattern.endsWith('/') || GLOB_CHARS.test(pattern)) return matches
  return (path) => matches(path) || path.startsWith(`${pattern}/`)
}

/** Positional files are usually exact names, which may hold glob characters (`model[1].bin`). */
function fileMatcher(file: string): Matcher {
  const name = file.replace(/^(\.\/)+/, '')
  const glob = globMatcher(name)
  return (path) => path === name || glob(path)
}
