// The emulator's public shapes. index.ts re-exports them; other emulator modules import them from here so
// that no module has to import index.ts (which imports them all).

export interface HubOptions {
  /** Tree page size (the real Hub uses 1000); tests use tiny pages to exercise Link following. */
  pageSize?: number
  /** Lifetime of signed CDN URLs (the real Hub: one hour). */
  urlTtlMs?: number
  /** Files of at least this many bytes are stored in LFS unless a FileSpec says otherwise. */
  lfsThreshold?: number
  /** A mirror that proxies resolve without the X-Linked-* headers (and without ETag on the 302). */
  mirror?: boolean
  /**
   * The host name in the CDN's URLs (default 127.0.0.1; it always listens on 127.0.0.1). huggingface_hub 1.x+
   * follows a resolve HEAD's redirect when the target has the same host name, whatever the port, and then
   * misses X-Repo-Commit; 'localhost' makes the CDN another host, as on the real Hub.
   */
  cdnHost?: string
  /**
   * A mirror behind a proxy that wants HTTP Basic auth: every hub-origin request without exactly these
   * credentials gets 401 with `WWW-Authenticate: Basic` and no X-Error-* headers. The CDN does not ask.
   */
  basicAuth?: { user: string; password: string } | false
  /**
   * The address both origins listen on (default 127.0.0.1), and the host of their URLs unless cdnHost says
   * otherwise. Only ever an address inside a network namespace a test made itself (test/helpers/netns.ts).
   */
  listenHost?: string
  /**
   * Serve over HTTPS: 'cdn' the CDN origin only (as a mirror on plain HTTP in front of a TLS CDN), 'both' the
   * hub too. The certificate is a throwaway one for 127.0.0.1 and localhost, signed by a throwaway CA whose
   * PEM is at Hub.caFile (give it to hfx as NODE_EXTRA_CA_CERTS); close() deletes it.
   */
  tls?: false | 'cdn' | 'both'
}

export type RepoType = 'model' | 'dataset' | 'space'

export type FileSpec = Buffer | string | { content: Buffer | string; lfs?: boolean }

export interface RepoOptions {
  type?: RepoType
  private?: boolean
  gated?: false | 'auto' | 'manual'
  disabled?: boolean
  cardData?: Record<string, unknown>
  tags?: string[]
  /** Fields laid over the repo info answer as they are (hostile-data tests: an `id` with escape sequences). */
  info?: Record<string, unknown>
}

export interface TokenGrant {
  /** Private repos this token can read. */
  repos?: string[] | '*'
  /** Gated repos whose terms the token's owner accepted. */
  gated?: string[] | '*'
}

/** A trusted publisher (keyless auth in CI): id tokens from `issuer`, signed with `key`, for `resource`. */
export interface TrustedPublisher {
  /** What HF_OIDC_RESOURCE names: a repo (org/name, datasets/org/name) or a user name. */
  resource: string
  issuer: string
  /** The issuer's signing key (HS256: the emulator stands in for checking a JWKS). */
  key: Buffer
  /** Claims that must match exactly (repository, ref, workflow, …). */
  claims?: Record<string, string>
  /** What the exchanged token may read, as for addToken. */
  grant: TokenGrant
  /** Seconds the exchanged token lasts (default 3600, as on the Hub); then the emulator forgets it. */
  expiresIn?: number
}

export interface ThrottleSettings {
  perConnectionBytesPerSec?: number
  globalBytesPerSec?: number
  latencyMs?: number
}

export interface Hub {
  /** http://127.0.0.1:PORT (https:// with HubOptions.tls 'both'), no trailing slash. */
  url: string
  /** The CDN origin LFS files redirect to (another port, so another origin). */
  cdnUrl: string
  /** With HubOptions.tls: the PEM file of the CA that signed the origins' certificate (until close()). */
  caFile?: string
  addRepo(id: string, files: Record<string, FileSpec>, opts?: RepoOptions): EmuRepo
  addToken(token: string, grant?: TokenGrant): void
  /** Lets POST /oauth/token exchange id tokens from this publisher. */
  addTrustedPublisher(publisher: TrustedPublisher): void
  /** Every token /oauth/token handed out, in order. */
  exchangedTokens: string[]
  inject(fault: Fault): void
  clearFaults(): void
  /** Replaces the previous settings; throttle({}) turns throttling off. */
  throttle(t: ThrottleSettings): void
  /** Every request to either origin, in arrival order. */
  requests: RequestLog[]
  /** File body bytes written to sockets (both origins), for one file path (and repo) or for all files. */
  bytesServed(filePath?: string, repoId?: string): number
  resetLog(): void
  /** Closes both servers and destroys every open socket, even one held by a stall fault. */
  close(): Promise<void>
}

export interface EmuFile {
  content: Buffer
  size: number
  /** The git blob sha1 as it appears in the tree: of the content, or of the pointer text for LFS files. */
  oid: string
  sha256: string
  lfs: boolean
}

export interface EmuRepo {
  id: string
  type: RepoType
  /** 40-hex sha of main. */
  readonly head: string
  /** A new commit on branch (default main) with exactly this file set; creates the branch if missing. */
  commit(files: Record<string, FileSpec>, opts?: { branch?: string; message?: string }): string
  /**
   * Points a branch, tag, 'refs/pr/1' or 'refs/convert/parquet' at an existing commit. The refs endpoint
   * lists a plain name as a branch, unless `tag` is set (or the name is spelt refs/tags/X).
   */
  setRef(name: string, sha: string, opts?: { tag?: boolean }): void
  file(path: string, rev?: string): EmuFile
  sha256(path: string, rev?: string): string
  gitSha1(path: string, rev?: string): string
  /** What huggingface_hub names the blob: sha256 for LFS files, git sha1 otherwise. */
  etag(path: string, rev?: string): string
  /** When set, the tree endpoint answers exactly these entries, in one page, for any path (hostile-data tests). */
  rawTreeOverride?: unknown[]
  /**
   * When set, the tree endpoint answers `count` pages (Infinity: without end), page i's body made by
   * `body(i)` when asked for, each linking the next with Link rel="next": a listing as large as a test wants
   * without storing it.
   */
  rawTreePages?: { count: number; body(page: number): string }
}

export interface RequestLog {
  origin: 'hub' | 'cdn'
  method: string
  /** pathname + search, as received. */
  path: string
  headers: Record<string, string | string[] | undefined>
  status: number
  range?: string
  /** Body bytes written (file bodies count as their writes complete). */
  bytesSent: number
  /** Over TLS (HubOptions.tls): the protocol and cipher the client negotiated, 'TLSv1.3 TLS_AES_256_GCM_SHA384'. */
  tls?: string
  filePath?: string
  repoId?: string
}

export type Fault = {
  /** Default: wherever the file body is served from (hub for regular files, cdn for LFS files). */
  origin?: 'hub' | 'cdn'
  /** Only requests for this repo file; default: any file request (or, for 'status', any request). */
  filePath?: string
  /** How many matching requests it affects; default 1; Infinity allowed. */
  times?: number
  /**
   * Only file GETs whose body starts at this byte (a Range request for a chunk at that offset): with
   * times: Infinity it keeps one chunk of a parallel download from arriving while the others do.
   */
  rangeStart?: number
} & (
  // ignoreRange: also answer 200 with the file from byte 0 (then cut it as said), whatever Range asked: a
  // server that can neither finish a body nor resume one.
  | { kind: 'reset'; afterBytes: number; ignoreRange?: boolean }
  | { kind: 'truncate'; afterBytes: number; ignoreRange?: boolean }
  | { kind: 'stall'; afterBytes: number; ignoreRange?: boolean }
  | { kind: 'corrupt'; offset: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'ignoreRange' }
  | { kind: 'expire' }
  // 302 to the same URL with `hop=1` added; a request that already carries it is not redirected again,
  // so a fault queued after this one (e.g. a short 200) hits the redirected request.
  | { kind: 'redirect' }
  // Request level only (no filePath): the answer's body (API JSON, errors, redirects; not file bytes) goes
  // out a few bytes at a time, never quiet long enough for an inactivity timeout to fire.
  // `pathIncludes` limits it to request paths containing that text ('/tree/').
  | { kind: 'trickle'; bytesPerSec: number; pathIncludes?: string }
  // Request level only (no filePath): the answer's body (API JSON) stops after `afterBytes`, with a TCP reset
  // ('reset') or a clean close short of Content-Length ('truncate'). `pathIncludes` as for trickle.
  | { kind: 'cut'; afterBytes: number; how: 'reset' | 'truncate'; pathIncludes?: string }
  // A file GET answered with exactly these bytes, straight onto the socket, which then closes: answers
  // node:http will not write (a head past any limit, a chunked 206, bytes past Content-Length, a broken
  // status line). `answer` gets the range asked for ([start, end) of `size`) and the file's content.
  | { kind: 'raw'; answer(asked: { start: number; end: number; size: number }, content: Buffer): Buffer | string }
)
