// The composition root: what every command needs before it talks to a hub (settings, the token, one HTTP
// client, an abort signal) and the one place that decides which hub that is. The HTTP client (undici), the
// hub implementations, the OIDC exchange and the offline hub are loaded when a session needs them: the cache
// commands take only settingsFor from here, and a pull of the Hugging Face Hub needs no ModelScope code.
import os from 'node:os'
import type { HubIO } from './hub/get-json.js'
import type { Hub } from './hub/hub.js'
import type { HubName } from './repo/hub-name.js'
import type { RetryNotice } from './retry/with-retry.js'
import { processEnv, settingsFrom, type GlobalFlags, type Settings } from './settings.js'
import { findToken } from './token.js'

export interface Session {
  settings: Settings
  hub: Hub
  close(): Promise<void>
}

/** Settings from this process's environment and home folder, for `hub`. */
export function settingsFor(flags: GlobalFlags, hub: HubName): Settings {
  return settingsFrom(processEnv(), flags, os.homedir(), hub)
}

/** The module of the named hub's implementation (only that one is loaded). */
async function hubClass(name: HubName): Promise<new (io: HubIO) => Hub> {
  if (name === 'modelscope') return (await import('./hub/modelscope/hub.js')).ModelScopeHub
  return (await import('./hub/huggingface/hub.js')).HuggingFaceHub
}

export async function openSession(
  flags: GlobalFlags,
  hub: HubName,
  opts: { signal?: AbortSignal; onRetry?: (n: RetryNotice) => void; connections?: number } = {},
): Promise<Session> {
  const settings = settingsFor(flags, hub)
  // Loading starts before the token lookup, so the two overlap.
  const loaded = Promise.all([import('./hub/http.js'), hubClass(hub)])
  loaded.catch(() => {}) // awaited below; a failure must not count as unhandled while the token is looked up
  // Offline, nothing is sent: no exchange either (huggingface_hub resolves its token only for a request).
  const { oidc } = settings
  const token = !oidc
    ? await findToken(settings)
    : settings.offline
      ? undefined
      : await (await import('./hub/oidc-exchange.js')).mintOidcToken({ ...settings, oidc }, { signal: opts.signal, onRetry: opts.onRetry })
  const [{ createHttp }, HubClass] = await loaded
  const http = createHttp(settings.endpoint, token, settings.downloadTimeoutMs, opts.connections)
  const io: HubIO = {
    http,
    signal: opts.signal,
    onRetry: opts.onRetry,
    metadataTimeoutMs: settings.metadataTimeoutMs,
    downloadFloor: settings.downloadFloor,
  }
  return { settings, hub: new HubClass(io), close: () => http.close() }
}

/**
 * For commands that only read from a hub (ls, info), and always closes the session. With HF_HUB_OFFLINE the
 * hub is the cache (cache/cached-hub.ts): the answer comes from the cached snapshot, and the command says so.
 */
export async function withHubSession<T>(flags: GlobalFlags, hub: HubName, use: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(flags, hub)
  try {
    const offline = session.settings.offlineVar
    if (offline) {
      const { CachedHub } = await import('./cache/cached-hub.js')
      return await use({ ...session, hub: new CachedHub(hub, session.hub.io, session.settings.cacheDir, offline) })
    }
    return await use(session)
  } finally {
    await session.close()
  }
}

/**
 * A hub asked only for file bytes (an `ms://` mirror of a Hugging Face pull): its own endpoint and token from
 * its own settings, never the session's --endpoint or --token, which are the Hub's.
 */
export async function openMirrorHub(flags: GlobalFlags, name: HubName, opts: { signal?: AbortSignal; connections?: number; connectTimeoutMs?: number }): Promise<Session> {
  const settings = settingsFor({ ...flags, endpoint: undefined, token: undefined }, name)
  const [{ createHttp }, HubClass, token] = await Promise.all([import('./hub/http.js'), hubClass(name), findToken(settings)])
  const http = createHttp(settings.endpoint, token, settings.downloadTimeoutMs, opts.connections, opts.connectTimeoutMs)
  const io: HubIO = { http, signal: opts.signal, metadataTimeoutMs: settings.metadataTimeoutMs, downloadFloor: settings.downloadFloor }
  return { settings, hub: new HubClass(io), close: () => http.close() }
}

/** The same, opened on first use (an `ms://` mirror is asked of only when a file needs fetching); close() is safe either way. */
export function lazyMirrorHub(flags: GlobalFlags, name: HubName, signal: AbortSignal, connectTimeoutMs: number): { hub: () => Promise<Hub>; close(): Promise<void> } {
  let opened: Promise<Session> | undefined
  return {
    hub: () => (opened ??= openMirrorHub(flags, name, { signal, connectTimeoutMs })).then((s) => s.hub),
    close: async () => (await opened?.catch(() => undefined))?.close(),
  }
}
