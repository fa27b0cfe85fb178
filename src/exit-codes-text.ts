// The exit code table as `hfx --help` prints it. A label per EXIT entry, typed by its keys, so a new code
// cannot reach errors.ts without its line in the help (README's table is the long form).
import { EXIT } from './errors.js'

const LABELS: Record<keyof typeof EXIT, string> = {
  ok: 'success',
  failure: 'unexpected error (a bug: please report it)',
  usage: 'bad arguments, conflicting flags, a malformed repo reference or lockfile',
  notFound: 'repo, revision, file or weight variant not found (or private), or not in the cache',
  auth: 'gated repo without access, invalid token, disabled repo',
  network: 'Hub or CDN unreachable, or still failing after retries',
  integrity: 'bytes did not match their hash; `hfx cache verify` found damage',
  disk: 'not enough space, or the folder cannot be written',
  protocol: 'the server sent data hfx refuses (unsafe paths, malformed answers)',
  offline: 'HF_HUB_OFFLINE is set and the cache cannot answer',
  outdated: '`hfx lock --check`: the lock no longer matches the Hub',
  tls: "the server's TLS certificate is not trusted (see NODE_EXTRA_CA_CERTS)",
  interrupted: 'interrupted (Ctrl-C, SIGTERM); partial files are kept',
  closedPipe: 'stdout or stderr lost its reader (| head)',
}

export function exitCodesText(): string {
  const rows = (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((k) => `  ${String(EXIT[k]).padStart(3)}  ${LABELS[k]}`)
  return ['Exit codes:', ...rows].join('\n')
}
