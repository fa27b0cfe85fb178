// A retry notice in a few words for people: "rate limited by the Hub, retrying in 42s (1/5)". The notice says
// what happened as data (`kind`, set where the retry was decided); this only chooses the words.
import { formatDuration } from '../format.js'
import type { RetryKind, RetryNotice } from '../retry/with-retry.js'

const WHAT: Record<Exclude<RetryKind, 'other' | 'mirror'>, (n: RetryNotice) => string> = {
  rate_limited: () => 'rate limited by the Hub',
  server_error: (n) => (n.status === undefined ? 'server error' : `server error ${n.status}`),
  stalled: () => 'stalled',
  connection: () => 'connection dropped',
  url_expired: () => 'download URL expired',
  integrity: () => 'hash mismatch',
}

/** What happens next: a new connection, the whole file again, or the same request later. */
const AGAIN: Partial<Record<RetryKind, string>> = { integrity: 'downloading again', stalled: 'reconnecting', connection: 'reconnecting', mirror: 'trying the next source' }

/**
 * "rate limited by the Hub, retrying in 42s", "stalled, reconnecting (2/5)". `remainingMs` counts down on
 * a terminal; a log line passes the whole delay. A kind without words of its own shows the notice's detail.
 */
export function retryText(n: RetryNotice, remainingMs = n.delayMs): string {
  const what = n.kind === 'other' || n.kind === 'mirror' ? n.detail : WHAT[n.kind](n)
  const when = remainingMs >= 1000 ? ` in ${formatDuration(remainingMs)}` : ''
  return `${what}, ${AGAIN[n.kind] ?? 'retrying'}${when} (${n.attempt}/${n.maxAttempts})`
}
