// What a retry notice means, in a word for scripts (`kind`) and a few for people. RetryNotice carries only a
// sentence built by the retry loop ("<what>: <reason>"), so the kind is read from that sentence; the
// phrases matched here are the ones src/retry/with-retry.ts and src/pull/fetch.ts write. A phrase we do not
// know still yields a notice (kind 'other' with the original text), never a crash or a silent wait.
import { formatDuration } from '../format.js'
import type { RetryNotice } from '../retry/with-retry.js'

export type RetryKind = 'rate_limited' | 'server_error' | 'stalled' | 'connection' | 'url_expired' | 'integrity' | 'other'

export interface RetryReason {
  kind: RetryKind
  /** Short and human: "rate limited by the Hub", "stalled". */
  text: string
  /** The sentence as the retry loop wrote it, for logs and --json. */
  detail: string
}

const KINDS: { kind: RetryKind; test: RegExp; text: (m: RegExpExecArray) => string }[] = [
  { kind: 'rate_limited', test: /rate limited|\b429\b/i, text: () => 'rate limited by the Hub' },
  // undici's body/headers timeouts are how a stalled connection shows up (HF_HUB_DOWNLOAD_TIMEOUT).
  { kind: 'stalled', test: /UND_ERR_(BODY|HEADERS)_TIMEOUT|ETIMEDOUT|timed? ?out|stall/i, text: () => 'stalled' },
  { kind: 'server_error', test: /HTTP (5\d\d)/, text: (m) => `server error ${m[1]}` },
  { kind: 'url_expired', test: /URL expired/i, text: () => 'download URL expired' },
  { kind: 'integrity', test: /mismatch/i, text: () => 'hash mismatch' },
  {
    kind: 'connection',
    test: /ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|ended (early|before|after)|socket|closed|reset/i,
    text: () => 'connection dropped',
  },
]

export function retryReason(n: RetryNotice): RetryReason {
  for (const k of KINDS) {
    const m = k.test.exec(n.reason)
    if (m) return { kind: k.kind, text: k.text(m), detail: n.reason }
  }
  return { kind: 'other', text: n.reason, detail: n.reason }
}

/**
 * "rate limited by the Hub, retrying in 42s", "stalled, reconnecting (2/5)". `remainingMs` counts down on
 * a terminal; a log line passes the whole delay.
 */
export function retryText(n: RetryNotice, remainingMs = n.delayMs): string {
  const r = retryReason(n)
  const again = r.kind === 'integrity' ? 'downloading again' : r.kind === 'stalled' || r.kind === 'connection' ? 'reconnecting' : 'retrying'
  const when = remainingMs >= 1000 ? ` in ${formatDuration(remainingMs)}` : ''
  return `${r.text}, ${again}${when} (${n.attempt}/${n.maxAttempts})`
}

/**
 * The file a notice is about, when the engine did not say: the retry loops prefix the reason with the file
 * path ("<path>: <reason>"), and paths can contain ": " themselves, so every prefix is tried against the
 * plan's paths.
 */
export function retryFile(reason: string, paths: ReadonlySet<string>): string | undefined {
  for (let i = reason.indexOf(': '); i > 0; i = reason.indexOf(': ', i + 1)) {
    const p = reason.slice(0, i)
    if (paths.has(p)) return p
  }
  return undefined
}
