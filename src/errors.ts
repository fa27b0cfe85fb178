// Every failure hfx reports is an HfxError: a stable `code` for scripts, an `exitCode` from one table,
// a one-line message and, where it helps, a hint saying what to do. cli.ts is the only place that prints them.

/** Exit codes, shared by every command. Documented in README.md; keep the two in step. */
export const EXIT = {
  ok: 0,
  failure: 1, // unexpected: a bug or an error hfx has no class for
  usage: 2, // bad arguments or a malformed repo reference
  notFound: 3, // repo, revision or file does not exist (or is private and the token cannot see it)
  auth: 4, // gated repo, bad or missing token, disabled repo
  network: 5, // the Hub or CDN could not be reached or kept failing after retries (5xx, 429, resets)
  integrity: 6, // downloaded bytes did not match their hash, even after re-fetching
  disk: 7, // not enough space, or the cache / target folder cannot be written
  protocol: 8, // the server sent data hfx refuses (unsafe paths, malformed JSON, absurd sizes)
  offline: 9, // HF_HUB_OFFLINE is set and the cache cannot answer
  outdated: 10, // `hfx lock --check`: a declared revision now resolves elsewhere, or its files changed
  tls: 11, // the server's TLS certificate did not check out (unknown CA, expired, another name): not retried
  interrupted: 130, // Ctrl-C / SIGTERM: partial files are kept for a resume
  closedPipe: 141, // stdout or stderr lost its reader (`| head`): 128 + SIGPIPE, as a shell reports such a tool
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export class HfxError extends Error {
  readonly code: string = 'HFX_ERROR'
  readonly exitCode: ExitCode = EXIT.failure
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

export class UsageError extends HfxError {
  override readonly code = 'USAGE'
  override readonly exitCode = EXIT.usage
}

/**
 * A command a hint suggests, quoted for a POSIX shell where it needs to be, so that it runs as printed. Repo
 * names are checked when parsed; a revision may still hold a character the shell would take (`;`, `$`).
 */
export function hfxCommand(...args: string[]): string {
  return ['hfx', ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ')
}

/** The same repo under another type (a dataset named like the model asked for): its name as hfx takes it. */
export interface OtherRepoType {
  type: string
  name: string
}

/** `repoId` here and below is the name as hfx takes it (repo-ref.ts repoName): datasets/ and spaces/ included. */
export class RepoNotFoundError extends HfxError {
  override readonly code = 'REPO_NOT_FOUND'
  override readonly exitCode = EXIT.notFound
  constructor(readonly repoId: string, hasToken: boolean, endpoint: string, readonly elsewhere?: OtherRepoType) {
    super(
      `repository ${repoId} was not found on ${endpoint}.`,
      elsewhere
        ? `It exists as a ${elsewhere.type}: ${hfxCommand('ls', elsewhere.name)}`
        : hasToken
          ? 'Check the name (and --repo-type for datasets/spaces); if it is private, your token must have read access to it.'
          : 'Check the name (and --repo-type for datasets/spaces); if it is private, pass a token with --token or HF_TOKEN.',
    )
  }
}

/** The branches and tags a repo has, as the Hub lists them (GET /api/{type}s/{id}/refs). */
export interface RepoRefs {
  branches: string[]
  tags: string[]
}

/** Revision names long lists are cut at: a hint is one line to read, not a listing. */
const MAX_LISTED_REFS = 10

function listRefs(names: string[]): string {
  if (names.length === 0) return '(none)'
  const shown = names.slice(0, MAX_LISTED_REFS).join(', ')
  return names.length > MAX_LISTED_REFS ? `${shown} and ${names.length - MAX_LISTED_REFS} more` : shown
}

export class RevisionNotFoundError extends HfxError {
  override readonly code = 'REVISION_NOT_FOUND'
  override readonly exitCode = EXIT.notFound
  constructor(readonly repoId: string, readonly revision: string, endpoint: string, known?: RepoRefs) {
    const branch = known && (known.branches.includes('main') ? 'main' : known.branches[0])
    super(
      `revision '${revision}' does not exist in ${repoId}.`,
      known
        ? `Branches: ${listRefs(known.branches)}; tags: ${listRefs(known.tags)}; or a commit sha.${branch ? ` List the files on ${branch} with: ${hfxCommand('ls', `${repoId}@${branch}`)}` : ''}`
        : `See the branches and tags at ${endpoint}/${repoId}/tree/main, or use a full commit sha.`,
    )
  }
}

export class EntryNotFoundError extends HfxError {
  override readonly code = 'ENTRY_NOT_FOUND'
  override readonly exitCode = EXIT.notFound
  constructor(readonly repoId: string, readonly path: string, revision: string) {
    super(`${path} does not exist in ${repoId} at ${revision}.`, `List the files with: ${hfxCommand('ls', `${repoId}@${revision}`)}`)
  }
}

export class NoMatchError extends HfxError {
  override readonly code = 'NO_MATCH'
  override readonly exitCode = EXIT.notFound
  constructor(repoId: string, revision: string, patterns: string) {
    super(`no file in ${repoId} at ${revision} matches ${patterns}.`, `List the files with: ${hfxCommand('ls', `${repoId}@${revision}`)}`)
  }
}

export class GatedRepoError extends HfxError {
  override readonly code = 'GATED_REPO'
  override readonly exitCode = EXIT.auth
  constructor(readonly repoId: string, hasToken: boolean, endpoint: string) {
    super(
      hasToken
        ? `${repoId} is gated and your token has not been granted access.`
        : `${repoId} is gated: downloading it needs a token.`,
      hasToken
        ? `Accept the terms at ${endpoint}/${repoId} with the account that owns the token (fine-grained tokens also need "read access to public gated repos").`
        : `Accept the terms at ${endpoint}/${repoId}, create a token at ${endpoint}/settings/tokens, then pass it with HF_TOKEN or --token.`,
    )
  }
}

export class BadTokenError extends HfxError {
  override readonly code = 'BAD_TOKEN'
  override readonly exitCode = EXIT.auth
  constructor(endpoint: string, source: string) {
    super(
      `the Hub rejected the token (from ${source}) as invalid.`,
      `Create a new token at ${endpoint}/settings/tokens, or unset it to access public repos anonymously.`,
    )
  }
}

/** A mirror behind a proxy that wants HTTP Basic credentials: none were sent, or they were refused. */
export class EndpointAuthError extends HfxError {
  override readonly code = 'ENDPOINT_AUTH'
  override readonly exitCode = EXIT.auth
  constructor(endpoint: string) {
    super(
      `${endpoint} asks for a user name and password (HTTP Basic auth) and did not accept what was sent.`,
      'Put USER:PASSWORD@ after the https:// of HF_ENDPOINT (or --endpoint): hfx sends them to that host only and never prints the password.',
    )
  }
}

/**
 * Keyless auth (HF_OIDC_RESOURCE) could not get its short-lived token: no id token to exchange, or the CI
 * runtime or the Hub said no (hub/oidc-exchange.ts). Never a silent fallback to another token, as in
 * huggingface_hub: asking for OIDC is explicit. The messages never hold the id token or the exchanged one.
 */
export class OidcError extends HfxError {
  override readonly exitCode = EXIT.auth
  constructor(
    override readonly code: 'OIDC_NO_ID_TOKEN' | 'OIDC_NO_PERMISSION' | 'OIDC_RUNTIME_REFUSED' | 'OIDC_EXCHANGE_REFUSED',
    message: string,
    hint: string,
  ) {
    super(message, hint)
  }
}

export class DisabledRepoError extends HfxError {
  override readonly code = 'REPO_DISABLED'
  override readonly exitCode = EXIT.auth
  constructor(readonly repoId: string) {
    super(`access to ${repoId} has been disabled by the Hub.`, 'Nothing can be downloaded from it; look for another copy of the model.')
  }
}

export class RateLimitedError extends HfxError {
  override readonly code = 'RATE_LIMITED'
  override readonly exitCode = EXIT.network
  constructor(url: string, readonly retryAfterMs: number | undefined) {
    super(
      `the Hub kept answering 429 Too Many Requests for ${url}.`,
      'Wait a few minutes and run the same command again (a pull resumes where it stopped); a token (HF_TOKEN) raises the limits.',
    )
  }
}

export class HttpStatusError extends HfxError {
  override readonly code = 'HTTP_STATUS'
  override readonly exitCode = EXIT.network
  constructor(readonly status: number, url: string, detail?: string, readonly serverWaitMs?: number) {
    super(
      `${status >= 500 ? 'server error' : 'unexpected answer'} ${status} from ${url}${detail ? `: ${detail}` : ''}.`,
      status >= 500 ? 'The Hub may be having trouble; run the same command again later (a pull resumes where it stopped).' : undefined,
    )
  }
}

const NETWORK_HINT =
  'Check the connection, the endpoint (HF_ENDPOINT, or MODELSCOPE_DOMAIN for ModelScope) and proxy variables (HTTPS_PROXY), then run the same command again (a pull resumes where it stopped).'

/**
 * The connection failed: before the answer (could not reach) or while its body arrived (broke mid-answer).
 * Made only by hub/transport.ts, from the undici or socket error kept as `cause` (retry/policy.ts reads it).
 */
export class NetworkError extends HfxError {
  override readonly code: string = 'NETWORK'
  override readonly exitCode = EXIT.network
  constructor(url: string, reason: string, options?: { cause?: unknown; midBody?: boolean }, hint = NETWORK_HINT) {
    super(options?.midBody ? `the connection to ${url} broke mid-answer: ${reason}.` : `could not reach ${url}: ${reason}.`, hint, options)
  }
}

/**
 * The TLS handshake failed because the server's certificate did not check out (hub/certificate-error.ts says
 * why, from the TLS error's code). Not a NetworkError, so never retried (the same certificate comes back), and
 * its own exit code, because only the user can fix it: trust a private CA through NODE_EXTRA_CA_CERTS, set
 * the clock, or correct the endpoint. hfx has no switch that turns the check off.
 */
export class CertificateError extends HfxError {
  override readonly code = 'TLS_CERTIFICATE'
  override readonly exitCode = EXIT.tls
  constructor(readonly origin: string, why: string, readonly tlsCode: string, hint: string, options?: { cause?: unknown }) {
    super(`the TLS certificate of ${origin} is not trusted: ${why} (${tlsCode}).`, hint, options)
  }
}

/**
 * A download connection that kept bringing bytes, but fewer than the floor (HFX_MIN_SPEED over
 * HFX_MIN_SPEED_TIME) on average: a trickle the inactivity timeout never catches. Retried on a new
 * connection, a bounded number of times (pull/next-step.ts).
 */
export class SlowConnectionError extends NetworkError {
  override readonly code = 'TOO_SLOW'
  constructor(url: string, readonly bytesPerSec: number, readonly windowMs: number) {
    super(
      url,
      `stalled: under ${formatRate(bytesPerSec)} for ${windowMs / 1000}s`,
      { midBody: true },
      'The server or a proxy on the way sends far too slowly. Run the same command again later (a pull resumes where it stopped), or from another network; HFX_MIN_SPEED and HFX_MIN_SPEED_TIME set the floor (HFX_MIN_SPEED=0 turns it off).',
    )
  }
}

function formatRate(bytesPerSec: number): string {
  return bytesPerSec >= 1000 ? `${+(bytesPerSec / 1000).toFixed(1)} kB/s` : `${bytesPerSec} B/s`
}

/** The CDN refused every freshly resolved signed URL for a file, several times in a row. */
export class UrlKeepsExpiringError extends HfxError {
  override readonly code = 'URL_EXPIRED'
  override readonly exitCode = EXIT.network
  constructor(readonly path: string, readonly times: number) {
    super(
      `the download URL for ${path} kept expiring: the CDN refused ${times} freshly resolved URLs in a row.`,
      'Check that this machine\'s clock is right (signed URLs are checked against it), then run the same command again later (a pull resumes where it stopped); with a mirror (HF_ENDPOINT), check its CDN or storage settings.',
    )
  }
}

/**
 * A server that keeps cutting a file short, past the point where retrying is worth it (pull/transfer-budget.ts):
 * without Range support every retry starts again at byte 0, so it could go on for ever.
 */
export class CutShortError extends HfxError {
  override readonly code = 'CUT_SHORT'
  override readonly exitCode = EXIT.network
  constructor(readonly path: string, readonly rangeless: boolean, readonly requests: number, readonly bytes: number) {
    const spent = `gave up after ${requests} ${requests === 1 ? 'attempt' : 'attempts'} / ${(bytes / 1e6).toFixed(1)} MB`
    super(
      rangeless
        ? `the server keeps cutting ${path} short and does not support resuming (Range); ${spent}.`
        : `the server keeps cutting ${path} short; ${spent}.`,
      rangeless
        ? 'Something between you and the Hub (a proxy, mirror or CDN) drops the connection and ignores Range requests; try another network or endpoint (HF_ENDPOINT), or run the same command later.'
        : 'The connection keeps dropping; run the same command again later (a pull resumes where it stopped), or from another network.',
    )
  }
}

/**
 * A metadata answer that did not finish within its deadline (hub/deadline.ts): the server kept sending, too
 * slowly for any inactivity timeout to fire. Not retried: the deadline is already several timeouts long.
 */
export class DeadlineError extends HfxError {
  override readonly code = 'DEADLINE'
  override readonly exitCode = EXIT.network
  constructor(url: string, readonly deadlineMs: number, options?: { cause?: unknown }) {
    super(
      `${url} did not finish answering within ${deadlineMs / 1000}s (it kept sending, too slowly); gave up.`,
      'The endpoint, or a proxy on the way, is far too slow: run the same command again later, or check HF_ENDPOINT and proxy variables. A metadata call may take 6 times HF_HUB_ETAG_TIMEOUT in all.',
      options,
    )
  }
}

export class IntegrityError extends HfxError {
  override readonly code = 'INTEGRITY'
  override readonly exitCode = EXIT.integrity
  constructor(readonly path: string, readonly algorithm: string, readonly expected: string, readonly found: string, hint?: string) {
    super(
      `${path} failed its ${algorithm} check (expected ${expected}, got ${found}), even after re-downloading.`,
      hint ?? 'The bytes served do not match the Hub listing; try again later, or report it to the repo owner.',
    )
  }
}

export class ProtocolError extends HfxError {
  override readonly code: string = 'PROTOCOL'
  override readonly exitCode = EXIT.protocol
}

export class UnsafePathError extends ProtocolError {
  override readonly code: string = 'UNSAFE_PATH'
  constructor(readonly path: string, reason: string, hint = 'This repo or endpoint is serving hostile or broken data; check HF_ENDPOINT.') {
    super(`the server listed a file with an unsafe path ${JSON.stringify(path)} (${reason}); refusing to write anything for it.`, hint)
  }
}

export class DiskSpaceError extends HfxError {
  override readonly code = 'NO_SPACE'
  override readonly exitCode = EXIT.disk
}

export class DiskWriteError extends HfxError {
  override readonly code = 'DISK_WRITE'
  override readonly exitCode = EXIT.disk
}

/** A file the pull had put in place vanished again (another process deleting from the cache), twice. */
export class CacheChangedError extends HfxError {
  override readonly code = 'CACHE_CHANGED'
  override readonly exitCode = EXIT.disk
  constructor(readonly path: string) {
    super(
      `${path} vanished from the cache twice while the pull ran: another process is deleting from it (a cache prune or rm?).`,
      'Run the pull again once nothing else is cleaning the cache.',
    )
  }
}

export class OfflineError extends HfxError {
  override readonly code = 'OFFLINE'
  override readonly exitCode = EXIT.offline
}

export class InterruptedError extends HfxError {
  override readonly code = 'INTERRUPTED'
  override readonly exitCode = EXIT.interrupted
}

/** A repo or revision asked for by `hfx cache …` is not on disk (the Hub is never asked). */
export class NotInCacheError extends HfxError {
  override readonly code = 'NOT_IN_CACHE'
  override readonly exitCode = EXIT.notFound
}

/** `hfx cache verify` found files that are missing, corrupt or out of place: the integrity exit code. */
export class CacheProblemsError extends HfxError {
  override readonly code = 'CACHE_PROBLEMS'
  override readonly exitCode = EXIT.integrity
}

/** A lockfile hfx cannot trust: not JSON, an unknown version, or a field that is missing or malformed (named, with its line). */
export class LockfileError extends HfxError {
  override readonly code = 'BAD_LOCKFILE'
  override readonly exitCode = EXIT.usage
}

/**
 * `hfx pull --locked`: the commit a lock pins is gone upstream (a force-push dropped it, the repo was
 * rewritten), or, on ModelScope, the locked revision now lists other files. Exit 3 as any missing revision,
 * with the one command that repairs the lock.
 */
export class LockedCommitGoneError extends HfxError {
  override readonly code = 'LOCKED_COMMIT_GONE'
  override readonly exitCode = EXIT.notFound
}

/** `hfx lock --check` found the lock behind the Hub (the differences are printed on stdout first). */
export class LockOutdatedError extends HfxError {
  override readonly code = 'LOCK_OUTDATED'
  override readonly exitCode = EXIT.outdated
}

/** System error codes that mean the disk, not the network, failed us. */
const DISK_CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
}

/** Turns anything thrown into an HfxError, so the CLI edge has one shape to print. */
export function toHfxError(err: unknown): HfxError {
  if (err instanceof HfxError) return err
  const e = err as NodeJS.ErrnoException
  if (e && typeof e.code === 'string' && e.code in DISK_CODES) {
    const where = e.path ? ` (${e.path})` : ''
    // Only a full disk or quota has space to free and a partial worth resuming; a refused write has neither.
    const full = e.code === 'ENOSPC' || e.code === 'EDQUOT'
    return new DiskWriteError(
      `${DISK_CODES[e.code]}${where}.`,
      full
        ? 'Free some space or choose another folder with --cache-dir / --local-dir; partial files are kept, so the same command resumes.'
        : 'hfx may not write there: check the folder\'s owner, permissions and mount, or choose another folder with --cache-dir / --local-dir.',
      { cause: err },
    )
  }
  const message = err instanceof Error ? err.message : String(err)
  return new HfxError(message, 'This looks like a bug in hfx; please report it with the command you ran.', { cause: err })
}
