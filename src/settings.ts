// One place decides every setting from flags and environment, with huggingface_hub's names and precedence,
// so a machine set up for `hf download` (HF_HOME, HF_ENDPOINT, HF_TOKEN, …) works unchanged with hfx.
import path from 'node:path'
import { parseByteRate, RATE_FORMS } from './byte-rate.js'
import { UsageError } from './errors.js'
import { expandPath, expandUser } from './expand-path.js'
import { redactUrl } from './repo/hub-urls.js'
import type { HubName } from './repo/hub-name.js'

export type Env = Record<string, string | undefined>

/**
 * The process's environment. This is the one place it is read: every other module gets an Env passed in
 * (settingsFrom, colorLevel, outputMode stay pure and are tested with plain objects) or a value decided
 * here (debugStacks), so what hfx reads from the environment can be found in this file.
 */
export function processEnv(): Env {
  return process.env
}

/** HFX_DEBUG (any value): an error's cause is printed with its stack under the error line. */
export function debugStacks(env: Env = processEnv()): boolean {
  return Boolean(env.HFX_DEBUG)
}

/** The CI service whose log format a pull's plain lines follow: GitHub Actions or GitLab CI; undefined elsewhere. */
export type CiService = 'github' | 'gitlab'

export interface CiSettings {
  ci?: CiService
  /** GITHUB_STEP_SUMMARY: the markdown file a GitHub Actions step may append its summary to. */
  stepSummary?: string
}

/** Both runners set their variable to `true`; GitHub wins should a job somehow have both. */
export function ciFrom(env: Env = processEnv()): CiSettings {
  if (env.GITHUB_ACTIONS === 'true') return { ci: 'github', stepSummary: env.GITHUB_STEP_SUMMARY || undefined }
  if (env.GITLAB_CI === 'true') return { ci: 'gitlab' }
  return {}
}

export interface GlobalFlags {
  endpoint?: string
  token?: string
  cacheDir?: string
  hub?: HubName
}

export interface Settings {
  endpoint: string
  hfHome: string
  cacheDir: string
  /** The token to send when it does not come from a file: --token, or HF_TOKEN / HUGGING_FACE_HUB_TOKEN. */
  token?: { value: string; source: string }
  /** The token file to read when `token` is unset; unset when none may be read (ModelScope, HF_HUB_DISABLE_IMPLICIT_TOKEN). */
  tokenFile?: string
  /** HF_OIDC_RESOURCE is set (and no --token): the token is minted by an OIDC exchange (hub/oidc-exchange.ts). */
  oidc?: OidcSettings
  offline: boolean
  /** The variable that turned offline mode on, for messages: TRANSFORMERS_OFFLINE counts too. */
  offlineVar?: 'HF_HUB_OFFLINE' | 'TRANSFORMERS_OFFLINE'
  /** Per-request inactivity timeout for downloads (HF_HUB_DOWNLOAD_TIMEOUT, seconds; default 10). */
  downloadTimeoutMs: number
  /** Timeout for metadata calls (HF_HUB_ETAG_TIMEOUT, seconds; default 10). */
  metadataTimeoutMs: number
  /** HFX_HASH_THREADS: worker threads that hash large files (0: hash on the main thread; unset: by core count). */
  hashThreads?: number
  /** HFX_RECEIVE_THREADS: worker threads that receive large files (0: on the main thread; unset: by core count). */
  receiveThreads?: number
  /**
   * HFX_MIN_SPEED (bytes/s, 0: no floor) and HFX_MIN_SPEED_TIME (seconds): a download connection slower than
   * this on average over that long is dropped and retried (hub/transport.ts), three times in a row at most.
   */
  downloadFloor?: { bytesPerSec: number; windowMs: number }
  /** HFX_LIMIT_RATE: the bandwidth cap of a pull, bytes per second (--limit-rate wins); unset or 0: none. */
  limitRate?: number
  /** HFX_LOCK_WAIT: seconds to wait for another process's blob lock while it shows no progress (unset: 10 minutes). */
  lockPatienceMs?: number
  /** HFX_MIRRORS: Hub-compatible endpoints, comma-separated, that a pull fetches file bytes from first (--mirror adds to them). */
  mirrors?: string[]
}

/** Keyless auth in CI, as huggingface_hub ≥ 1.19 reads it (utils/_auth.py, _oidc.py). */
export interface OidcSettings {
  /** HF_OIDC_RESOURCE: the repo, or the Hub user name, the short-lived token is scoped to. */
  resource: string
  /** HF_OIDC_ID_TOKEN: an id token the CI minted itself (GitLab's id_tokens, …), exchanged as it is. */
  idToken?: string
  /** GITHUB_ACTIONS=true: where the runtime mints id tokens; both are set only for a job with `id-token: write`. */
  github?: { requestUrl?: string; requestToken?: string }
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co'
export const MODELSCOPE_ENDPOINT = 'https://www.modelscope.cn'

/** huggingface_hub's truthy spellings for boolean variables. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(value.trim().toUpperCase())
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback * 1000
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name}=${raw} is not a positive number of seconds.`)
  return n * 1000
}

/** Seconds, 0 allowed (HFX_LOCK_WAIT=0: never wait for a lock someone else holds); undefined when unset. */
function secondsOrZero(env: Env, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name}=${raw} is not a number of seconds (0 or more).`)
  return n * 1000
}

function count(env: Env, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name}=${raw} is not a whole number (0 or more).`)
  return n
}

/**
 * A user:password@ in the value is kept (hub/http.ts sends it as Basic auth) but never printed. A query string
 * or fragment is refused: hfx appends paths to the endpoint, so they would swallow every path it builds.
 */
function endpointFrom(raw: string, source: string): string {
  // Not an http(s) URL, the value has no user:password@ to mask reliably (`user:pw@x` parses as scheme
  // `user:`): it is echoed only when it holds no `@`.
  const shown = raw.includes('@') ? '' : ` '${raw}'`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UsageError(`${source}${shown} is not a URL.`, 'Use a full URL such as https://huggingface.co.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${source}${shown} must be an http(s) URL.`, 'Use a full URL such as https://huggingface.co.')
  }
  if (url.search || url.hash) {
    throw new UsageError(`${source} '${redactUrl(url.href)}' must not have a query string or #fragment.`, 'Give the endpoint as scheme://host[/path], such as https://huggingface.co.')
  }
  return raw.replace(/\/+$/, '')
}

/**
 * huggingface_hub's _clean_token: line breaks removed anywhere (a token pasted from a file), spaces trimmed at the
 * ends; nothing left means no token.
 */
export function cleanToken(raw: string | undefined): string | undefined {
  return raw?.replace(/[\r\n]/g, '').trim() || undefined
}

/**
 * The token huggingface_hub's get_token_to_send(None) would send (utils/_headers.py, utils/_auth.py):
 * - `--token` is explicit, like a `token=` argument, and always wins;
 * - HF_HUB_DISABLE_IMPLICIT_TOKEN makes everything below "implicit": nothing is sent;
 * - a non-empty HF_OIDC_RESOURCE comes first of the implicit sources, before HF_TOKEN and the token file
 *   (get_token() tries the OIDC exchange first, and a failed exchange is an error, never a fallback);
 * - otherwise `HF_TOKEN or HUGGING_FACE_HUB_TOKEN`, cleaned: an empty HF_TOKEN falls through to the legacy name,
 *   and a value that cleans to nothing (`HF_TOKEN=" "`) falls through to the token file, not to the legacy name.
 */
function tokenFrom(env: Env, flags: GlobalFlags, tokenPath: string): Pick<Settings, 'token' | 'tokenFile' | 'oidc'> {
  if (flags.token) return { token: { value: flags.token.trim(), source: '--token' } }
  if (envFlag(env.HF_HUB_DISABLE_IMPLICIT_TOKEN)) return {}
  if (env.HF_OIDC_RESOURCE) return { oidc: oidcFrom(env, env.HF_OIDC_RESOURCE) }
  const source = env.HF_TOKEN ? 'HF_TOKEN' : 'HUGGING_FACE_HUB_TOKEN'
  const value = cleanToken(env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN)
  return value ? { token: { value, source } } : { tokenFile: tokenPath }
}

/** Empty values count as unset, as huggingface_hub's `os.environ.get(…) or None` does. */
function oidcFrom(env: Env, resource: string): OidcSettings {
  return {
    resource,
    idToken: env.HF_OIDC_ID_TOKEN || undefined,
    github:
      env.GITHUB_ACTIONS === 'true'
        ? { requestUrl: env.ACTIONS_ID_TOKEN_REQUEST_URL || undefined, requestToken: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN || undefined }
        : undefined,
  }
}

/** constants.py reads `HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE`: a set HF_HUB_OFFLINE (even 0) decides alone. */
function offlineFrom(env: Env): Pick<Settings, 'offline' | 'offlineVar'> {
  const name = env.HF_HUB_OFFLINE ? 'HF_HUB_OFFLINE' : 'TRANSFORMERS_OFFLINE'
  return envFlag(env[name]) ? { offline: true, offlineVar: name } : { offline: false }
}

export function settingsFrom(env: Env, flags: GlobalFlags, homeDir: string, hub: HubName = 'huggingface'): Settings {
  // constants.py expands the composed default too, so XDG_CACHE_HOME=~/cache works; then each path that
  // derives from HF_HOME is expanded once more, as Python does (only a value that expands to `$…` could tell).
  const expand = (p: string) => expandPath(p, env, homeDir)
  const hfHome = expand(env.HF_HOME || path.join(env.XDG_CACHE_HOME || path.join(homeDir, '.cache'), 'huggingface'))
  if (hub === 'modelscope') return modelscopeSettings(env, flags, hfHome, homeDir)
  // A --cache-dir gets `~` only, as in huggingface_hub 2.0's hf_hub_download (Path(cache_dir).expanduser()):
  // `--cache-dir=~/x` reaches us unexpanded, because the shell expands `~` only at the start of a word.
  const cacheDir = flags.cacheDir
    ? expandUser(flags.cacheDir, homeDir)
    : expand(env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || path.join(hfHome, 'hub'))
  const endpoint = flags.endpoint
    ? endpointFrom(flags.endpoint, '--endpoint')
    : env.HF_ENDPOINT
      ? endpointFrom(env.HF_ENDPOINT, 'HF_ENDPOINT')
      : DEFAULT_ENDPOINT
  return {
    endpoint,
    hfHome,
    cacheDir: path.resolve(cacheDir),
    ...tokenFrom(env, flags, expand(env.HF_TOKEN_PATH || path.join(hfHome, 'token'))),
    ...offlineFrom(env),
    downloadTimeoutMs: seconds(env, 'HF_HUB_DOWNLOAD_TIMEOUT', 10),
    metadataTimeoutMs: seconds(env, 'HF_HUB_ETAG_TIMEOUT', 10),
    hashThreads: count(env, 'HFX_HASH_THREADS'),
    receiveThreads: count(env, 'HFX_RECEIVE_THREADS'),
    lockPatienceMs: secondsOrZero(env, 'HFX_LOCK_WAIT'),
    downloadFloor: floorFrom(env),
    limitRate: rateFrom(env),
    mirrors: mirrorsFrom(env.HFX_MIRRORS),
  }
}

/**
 * Mirror URLs, checked as an endpoint is (user:password@ kept for Basic auth, never printed); `ms://` (the same
 * repo on ModelScope) and `ms://org/name` (another id there) name ModelScope, reached with its own settings.
 */
export function mirrorUrls(raw: string[], source: string): string[] {
  return raw.map((m) => m.trim()).filter(Boolean).map((m) => (/^ms:\/\//i.test(m) ? modelscopeMirror(m, source) : endpointFrom(m, source)))
}

function modelscopeMirror(raw: string, source: string): string {
  const id = raw.slice('ms://'.length).replace(/\/+$/, '')
  if (id !== '' && !/^[\w.-]+\/[\w.-]+$/.test(id)) {
    throw new UsageError(`${source} '${raw}' is not a ModelScope mirror.`, 'Use ms:// for the same repo on ModelScope, or ms://org/name for another id there.')
  }
  return `ms://${id}`
}

function mirrorsFrom(raw: string | undefined): string[] | undefined {
  const list = raw ? mirrorUrls(raw.split(','), 'HFX_MIRRORS') : []
  return list.length ? list : undefined
}

/**
 * The default floor: 256 bytes/s per connection over 60 s. A pull keeps up to 64 connections open, so an
 * honest 100 kB/s link gives each about 1.5 kB/s, six times the floor, and must stay under it for three whole
 * minutes in a row to be given up; a trickle of a few bytes a second (a broken proxy) is named within minutes
 * instead of never. curl's --speed-limit / --speed-time, with a lower floor because hfx opens many connections.
 */
const MIN_SPEED = 256
const MIN_SPEED_TIME_S = 60

function floorFrom(env: Env): Settings['downloadFloor'] {
  const raw = env.HFX_MIN_SPEED
  let bytesPerSec = MIN_SPEED
  if (raw !== undefined && raw.trim() !== '') {
    bytesPerSec = Number(raw)
    if (!Number.isFinite(bytesPerSec) || bytesPerSec < 0) throw new UsageError(`HFX_MIN_SPEED=${raw} is not a number of bytes per second (0 turns the floor off).`)
  }
  if (bytesPerSec === 0) return undefined
  return { bytesPerSec, windowMs: seconds(env, 'HFX_MIN_SPEED_TIME', MIN_SPEED_TIME_S) }
}

function rateFrom(env: Env): number | undefined {
  const raw = env.HFX_LIMIT_RATE
  if (raw === undefined || raw.trim() === '') return undefined
  const rate = parseByteRate(raw)
  if (rate === undefined) throw new UsageError(`HFX_LIMIT_RATE=${raw}: ${RATE_FORMS}.`)
  return rate || undefined
}

/**
 * ModelScope has its own endpoint (MODELSCOPE_ENDPOINT or MODELSCOPE_DOMAIN, a host name or URL) and
 * token (MODELSCOPE_API_TOKEN). Its repos live in a cache of their own, laid out like the Hugging Face one,
 * beside it under HF_HOME: an id such as Qwen/Qwen2.5-7B names different repos on the two hubs.
 */
function modelscopeSettings(env: Env, flags: GlobalFlags, hfHome: string, homeDir: string): Settings {
  // The modelscope library reads MODELSCOPE_ENDPOINT now, MODELSCOPE_DOMAIN before it: the newer one wins.
  const name = env.MODELSCOPE_ENDPOINT?.trim() ? 'MODELSCOPE_ENDPOINT' : 'MODELSCOPE_DOMAIN'
  const domain = env[name]?.trim()
  const endpoint = flags.endpoint
    ? endpointFrom(flags.endpoint, '--endpoint')
    : domain
      ? endpointFrom(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`, name)
      : MODELSCOPE_ENDPOINT
  const token = flags.token
    ? { value: flags.token.trim(), source: '--token' }
    : env.MODELSCOPE_API_TOKEN
      ? { value: env.MODELSCOPE_API_TOKEN.trim(), source: 'MODELSCOPE_API_TOKEN' }
      : undefined
  const base = settingsFrom(env, { cacheDir: flags.cacheDir ?? path.join(hfHome, 'modelscope', 'hub') }, homeDir, 'huggingface')
  // HFX_MIRRORS are Hugging Face mirrors: their URLs have the Hub's shape, not ModelScope's.
  return { ...base, endpoint, hfHome, token, tokenFile: undefined, oidc: undefined, mirrors: undefined }
}
