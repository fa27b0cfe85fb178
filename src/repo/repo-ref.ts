// Turns whatever a user types or pastes (org/name, datasets/org/name@rev, hf://…, a browser URL) into one
// RepoRef, and rejects anything the Hub would reject, so a typo fails here and not as a confusing 404.
import { UsageError } from '../errors.js'
import { maskCredentials } from './mask-credentials.js'
import type { HubName } from './hub-name.js'

export type RepoType = 'model' | 'dataset' | 'space'

export interface RepoRef {
  type: RepoType
  id: string
  revision?: string
  path?: string
  /** `org/name:Q4_K_M`: one weight variant (quant-variants.ts), as ollama names them; only `hfx pull` takes it. */
  variant?: string
  /** Set for ModelScope (ms://org/name or --hub modelscope); unset means the Hugging Face Hub or a mirror (hub-name.ts). */
  hub?: HubName
}

export interface ParseOptions {
  repoType?: RepoType // --repo-type
  revision?: string // --revision
  endpoint?: string // HF_ENDPOINT: its host is accepted in pasted URLs, like huggingface.co
  hub?: HubName // --hub
  allowVariant?: boolean // the command acts on one weight variant (`:TAG`); elsewhere a tag is refused
}

const ACCEPTED_FORMS =
  'Accepted: org/name, org/name@revision, datasets/org/name, spaces/org/name, hf://datasets/org/name@rev/path, https://huggingface.co/org/name/tree/rev, ms://org/name@rev, hf.co/org/name, org/name:Q4_K_M (a GGUF quantization, hfx pull only)'

const HUB_HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co'])
// `hf.co/org/name:Q4_K_M` without a scheme, as ollama and LM Studio take GGUF repos: read as the plain form.
const BARE_HUB_HOST = /^(?:www\.)?(?:huggingface\.co|hf\.co)\//i

// A weight variant after the name or revision: llama.cpp quant names (Q4_K_M, UD-Q4_K_XL) or a file stem.
// Git forbids ':' in ref names, so `org/name@rev:TAG` cannot be a revision holding a colon.
const VARIANT_TAG = /:([A-Za-z0-9][A-Za-z0-9_.+-]*)$/

// Plural prefixes as the Hub spells them in URLs. `models/` only appears in hf:// paths: in the plain form
// it would be read as a namespace, so there it stays one (and `models/org/name` is rejected as three parts).
const TYPE_PREFIXES: Record<string, RepoType> = { datasets: 'dataset', spaces: 'space' }
const HF_URI_PREFIXES: Record<string, RepoType> = { ...TYPE_PREFIXES, models: 'model' }

// Browser pages whose next segments are a revision and maybe a file path.
const REVISION_PAGES = new Set(['tree', 'blob', 'resolve', 'raw', 'commits', 'commit', 'blame', 'edit'])
// Pages that name the repo but no revision: a pasted link to them means the repo itself.
const PLAIN_PAGES = new Set(['discussions', 'settings', 'viewer', 'community'])

// huggingface_hub's validate_repo_id: word chars, '-', '.', no leading/trailing '-' or '.', no '--' or '..'.
const ID_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/
const MAX_NAME_LENGTH = 96

/** The branch a reference without a revision means: `main` on the Hugging Face Hub, `master` on ModelScope. */
export function defaultRevision(ref: { hub?: HubName }): string {
  return ref.hub === 'modelscope' ? 'master' : 'main'
}

/** A full commit sha: the only revision that can never move. Short shas work on the Hub but are not this. */
export function isFullCommit(rev: string): boolean {
  return /^[0-9a-f]{40}$/.test(rev)
}

/** The name as a user types it again: ModelScope repos keep their ms:// (without it, hfx would ask the Hugging Face Hub). */
export function formatRepoRef(ref: RepoRef): string {
  const prefix = (ref.hub === 'modelscope' ? 'ms://' : '') + (ref.type === 'dataset' ? 'datasets/' : ref.type === 'space' ? 'spaces/' : '')
  return `${prefix}${ref.id}${ref.revision ? `@${ref.revision}` : ''}`
}

/**
 * How a user names this repo to hfx again, in messages and in the commands hints suggest: `datasets/org/name`,
 * `spaces/org/name`, `org/name`, and `ms://…` for ModelScope. Without its prefix, a hint would name a model.
 */
export function repoName(ref: Pick<RepoRef, 'type' | 'id' | 'hub'>): string {
  return formatRepoRef({ type: ref.type, id: ref.id, hub: ref.hub })
}

export function parseRepoRef(input: string, opts: ParseOptions = {}): RepoRef {
  const text = input.trim()
  if (text === '') throw invalid(input, 'it is empty')
  // ms:// names a ModelScope repo: the same org/name[@rev] grammar, another hub (and cache).
  const modelscope = /^ms:\/\//i.test(text)
  const parsed = /^https?:\/\//i.test(text)
    ? parseUrl(input, text, opts.endpoint)
    : /^hf:\/\//i.test(text)
      ? parseSpec(input, text.slice('hf://'.length), HF_URI_PREFIXES, true)
      : parseSpec(input, modelscope ? text.slice('ms://'.length) : text.replace(BARE_HUB_HOST, ''), TYPE_PREFIXES, false)
  if (parsed.variant !== undefined && !opts.allowVariant) {
    throw new UsageError(
      `'${maskCredentials(input)}' names the weight variant ':${parsed.variant}', which only hfx pull takes.`,
      `Leave out ':${parsed.variant}' (hfx info lists every variant).`,
    )
  }

  validateId(input, parsed.id)
  if (parsed.type && opts.repoType && parsed.type !== opts.repoType) {
    throw new UsageError(
      `'${input}' names a ${parsed.type} repo but --repo-type is ${opts.repoType}.`,
      `Drop --repo-type, or drop the prefix from the reference. ${ACCEPTED_FORMS}`,
    )
  }
  if (opts.revision !== undefined) validateRevision(input, opts.revision)
  if (parsed.revision !== undefined && opts.revision !== undefined && parsed.revision !== opts.revision) {
    throw new UsageError(
      `'${input}' names revision '${parsed.revision}' but --revision is '${opts.revision}'.`,
      'Give the revision once, either after @ or with --revision.',
    )
  }
  const ref: RepoRef = { type: parsed.type ?? opts.repoType ?? 'model', id: parsed.id }
  const revision = parsed.revision ?? opts.revision
  if (revision !== undefined) ref.revision = revision
  if (parsed.path !== undefined) ref.path = parsed.path
  if (parsed.variant !== undefined) ref.variant = parsed.variant
  if (modelscope || opts.hub === 'modelscope') ref.hub = 'modelscope'
  return ref
}

interface Parsed {
  type?: RepoType // undefined: the input did not say, so --repo-type (or 'model') decides
  id: string
  revision?: string
  path?: string
  variant?: string
}

/** `[prefix/]org/name[@rev[/path]][:TAG]`, and for hf:// also `org/name/path` (no @: the id is the first two parts). */
function parseSpec(input: string, spec: string, prefixes: Record<string, RepoType>, isUri: boolean): Parsed {
  let rest = spec.replace(/\/+$/, '')
  // hf:// paths may hold ':' in file names, so only the plain form takes a tag.
  const tag = isUri ? null : VARIANT_TAG.exec(rest)
  if (tag && tag.index > rest.lastIndexOf('/')) {
    const parsed = parseSpec(input, rest.slice(0, tag.index), prefixes, isUri)
    // After a file path (`org/name@rev/dir/a:b`) the colon belongs to the file name.
    if (parsed.path === undefined) return { ...parsed, variant: tag[1] }
  }
  let type: RepoType | undefined = isUri ? 'model' : undefined // hf:// without a prefix means a model
  const first = rest.split('/')[0]
  if (Object.hasOwn(prefixes, first) && rest.includes('/')) {
    type = prefixes[first]
    rest = rest.slice(first.length + 1)
  }

  const at = rest.indexOf('@')
  if (at >= 0) {
    const id = rest.slice(0, at)
    const { revision, path } = splitRevisionAndPath(input, rest.slice(at + 1).split('/'))
    return { type, id, revision, path }
  }
  if (isUri) {
    const parts = rest.split('/')
    const idParts = parts.length > 1 ? 2 : 1
    return { type, id: parts.slice(0, idParts).join('/'), path: joinPath(input, parts.slice(idParts)) }
  }
  return { type, id: rest }
}

function parseUrl(input: string, text: string, endpoint: string | undefined): Parsed {
  let url: URL
  try {
    url = new URL(text) // drops nothing yet, but exposes pathname without ?query and #fragment
  } catch {
    throw invalid(input, 'it is not a valid URL')
  }
  let pathname = url.pathname
  const ep = endpointUrl(endpoint)
  if (ep && url.host.toLowerCase() === ep.host.toLowerCase()) {
    const base = ep.pathname.replace(/\/+$/, '') // a mirror may serve the Hub under a path prefix
    if (base && pathname.startsWith(`${base}/`)) pathname = pathname.slice(base.length)
  } else if (!HUB_HOSTS.has(url.hostname.toLowerCase())) {
    throw invalid(input, `${url.host} is not a Hugging Face Hub host`)
  }

  // Split before decoding, so an encoded revision (refs%2Fpr%2F1) stays one segment.
  const raw = pathname.split('/').filter((s) => s !== '')
  let type: RepoType = 'model'
  if (raw.length > 1 && Object.hasOwn(TYPE_PREFIXES, raw[0])) type = TYPE_PREFIXES[raw.shift()!]
  if (raw.length === 0) throw invalid(input, 'the URL names no repository')

  // Legacy single-name repos (gpt2) share URLs with org/name ones: `gpt2/tree/main` is gpt2 at main, while
  // `org/tree` and `org/tree/tree/main` are a repo named tree. Two segments are always org/name.
  const isPage = (s: string | undefined) => s !== undefined && (REVISION_PAGES.has(s) || PLAIN_PAGES.has(s))
  const idLength = raw.length === 1 || (raw.length >= 3 && isPage(raw[1]) && !isPage(raw[2])) ? 1 : 2
  const id = raw.slice(0, idLength).map((s) => decode(input, s)).join('/')
  const page = raw[idLength]
  if (page === undefined || PLAIN_PAGES.has(page)) return { type, id }
  if (!REVISION_PAGES.has(page)) throw invalid(input, `'${decode(input, page)}' is not a repository page`)
  const after = raw.slice(idLength + 1)
  if (after.length === 0) return { type, id }
  return { type, id, ...splitRevisionAndPath(input, after) }
}

// Full ref names take three segments: the Hub's special refs (refs/pr/N, refs/convert/X) and the full names
// of branches and tags that list_repo_refs reports (refs/heads/X, refs/tags/X).
const FULL_REF_KINDS = new Set(['pr', 'convert', 'heads', 'tags'])

/**
 * Revisions may hold slashes, paths always do: `refs/<kind>/<name>` takes exactly three segments, a
 * percent-encoded one (`refs%2Fpr%2F1`) is one segment, and any other revision is one segment. Branch and tag
 * names with slashes must therefore be percent-encoded or given by --revision. `refs/<anything else>/…` is
 * refused rather than read as the branch `refs` and a path.
 */
function splitRevisionAndPath(input: string, rawSegments: string[]): { revision: string; path?: string } {
  const decoded = rawSegments.map((s) => decode(input, s))
  const isFullRef = decoded[0] === 'refs' && decoded.length > 1
  if (isFullRef && !FULL_REF_KINDS.has(decoded[1])) {
    throw invalid(input, `'refs/${decoded[1]}/…' is not a ref the Hub knows (refs/heads/, refs/tags/, refs/pr/, refs/convert/); percent-encode a branch name with slashes (refs%2F…)`)
  }
  const takes = isFullRef ? 3 : 1
  const revision = decoded.slice(0, takes).join('/')
  validateRevision(input, revision)
  if (takes === 3 && (decoded.length < 3 || decoded[2] === '')) throw invalid(input, `revision '${revision}' is incomplete`)
  const path = joinPath(input, decoded.slice(takes))
  return path === undefined ? { revision } : { revision, path }
}

function joinPath(input: string, segments: string[]): string | undefined {
  const parts = segments.filter((s) => s !== '')
  if (parts.some((s) => s === '.' || s === '..')) throw invalid(input, 'its file path has . or .. segments')
  return parts.length ? parts.join('/') : undefined
}

function validateId(input: string, id: string): void {
  const parts = id.split('/')
  if (parts.length > 2) throw invalid(input, `'${id}' has more than two parts`)
  for (const part of parts) {
    if (part === '') throw invalid(input, 'a part of the name is empty')
    if (!ID_PART.test(part)) {
      throw invalid(input, `'${part}' may only hold letters, digits, '_', '-' and '.', and not start or end with '-' or '.'`)
    }
    if (part.includes('--') || part.includes('..')) throw invalid(input, `'${part}' contains '--' or '..'`)
  }
  const name = parts[parts.length - 1]
  if (name.length > MAX_NAME_LENGTH) throw invalid(input, `the name is longer than ${MAX_NAME_LENGTH} characters`)
}

function validateRevision(input: string, revision: string): void {
  if (revision === '') throw invalid(input, 'the revision is empty')
  // Git forbids whitespace and control characters in ref names; catching them here beats a 404 later.
  if (/[\s\x00-\x1f\x7f]/.test(revision)) throw invalid(input, `revision '${revision}' contains whitespace or control characters`)
}

function decode(input: string, segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw invalid(input, `'${segment}' is not valid percent-encoding`)
  }
}

function endpointUrl(endpoint: string | undefined): URL | undefined {
  if (!endpoint) return undefined
  try {
    return new URL(endpoint)
  } catch {
    return undefined
  }
}

function invalid(input: string, reason: string): UsageError {
  return new UsageError(`invalid repository reference '${maskCredentials(input)}': ${reason}.`, ACCEPTED_FORMS)
}
