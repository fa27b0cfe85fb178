// What every command needs before it talks to the Hub: settings, the token, one HTTP client, an abort signal.
import os from 'node:os'
import { OfflineError } from './errors.js'
import type { HubIO } from './hub/get-json.js'
import { createHttp } from './hub/http.js'
import type { RetryNotice } from './retry/with-retry.js'
import type { HubName } from './repo/repo-ref.js'
import { settingsFrom, type GlobalFlags, type Settings } from './settings.js'
import { findToken } from './token.js'
import { modelscope } from './hub/modelscope/backend.js'

export interface Session {
  settings: Settings
  io: HubIO
  close(): Promise<void>
}

export async function openSession(
  flags: GlobalFlags,
  opts: { signal?: AbortSignal; onRetry?: (n: RetryNotice) => void; connections?: number; hub?: HubName } = {},
): Promise<Session> {
  const hub = opts.hub ?? (flags.hub === 'modelscope' ? 'modelscope' : undefined)
  const settings = settingsFrom(process.env, flags, os.homedir(), hub ?? 'huggingface')
  const token = await findToken(settings)
  const http = createHttp(settings.endpoint, token, settings.downloadTimeoutMs, opts.connections)
  return {
    settings,
    io: {
      http,
      signal: opts.signal,
      onRetry: opts.onRetry,
      metadataTimeoutMs: settings.metadataTimeoutMs,
      downloadFloor: settings.downloadFloor,
      backend: hub === 'modelscope' ? modelscope : undefined,
    },
    close: () => http.close(),
  }
}

/**
 * For commands that only read from the Hub (ls, info): opens a session, refuses HF_HUB_OFFLINE with
 * `offlineReason` (what the command needs the Hub for), and always closes the session.
 */
export async function withHubSession<T>(
  flags: GlobalFlags,
  hub: HubName | undefined,
  offlineReason: string,
  use: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(flags, { hub })
  try {
    const offline = session.settings.offlineVar
    if (offline) throw new OfflineError(`${offlineReason}, and ${offline} is set.`, `Unset ${offline} to reach the Hub.`)
    return await use(session)
  } finally {
    await session.close()
  }
}
