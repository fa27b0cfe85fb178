// `hfx serve`: the cache as a read-only Hub on this machine's network, for sites without internet access
// (pull on a connected box, carry the cache in, serve it). Flags -> start -> print the URL -> wait for a signal.
import path from 'node:path'
import type { Command } from 'commander'
import { escapeControls } from '../escape-controls.js'
import { UsageError } from '../errors.js'
import { readSmallFile } from '../no-follow.js'
import { parseRepoRef } from '../repo/repo-ref.js'
import type { ServeSource } from '../serve/cache-source.js'
import { startHubServer } from '../serve/hub-server.js'
import { settingsFor } from '../session.js'
import { cleanToken, type GlobalFlags } from '../settings.js'
import { onInterrupt } from './interrupt.js'

export interface ServeFlags extends GlobalFlags {
  port: number
  host: string
  tokenFile?: string
  localDir?: string
  repo?: string
}

/** A token file holds one line; a bigger file is not one. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024

export async function runServe(self: Command): Promise<void> {
  const flags = self.optsWithGlobals<ServeFlags>()
  const source = await sourceFrom(flags)
  const token = flags.tokenFile === undefined ? undefined : await readToken(flags.tokenFile)
  const running = await startHubServer(
    { source, token, log: (line) => process.stderr.write(`${line}\n`) },
    flags.host,
    flags.port,
  )
  const interrupt = onInterrupt()
  process.stdout.write(`${running.url}\n`)
  process.stderr.write(`serving ${escapeControls(source.root)} (read-only)${token ? ', token required' : ''}\n`)
  await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }))
  // A second signal exits at once (interrupt.ts); the first lets answers in flight finish.
  await running.close()
  interrupt.dispose()
}

async function sourceFrom(flags: ServeFlags): Promise<ServeSource> {
  if (flags.repo !== undefined && flags.localDir === undefined) throw new UsageError('--repo goes with --local-dir.', 'The cache says which repos it holds; name the repo only for a --local-dir.')
  if (flags.localDir === undefined) {
    const { CacheSource } = await import('../serve/cache-source.js')
    return new CacheSource(settingsFor(flags, 'huggingface').cacheDir)
  }
  if (flags.repo === undefined) throw new UsageError('--local-dir needs --repo: the folder does not record which repo it holds.', 'hfx serve --local-dir DIR --repo org/name')
  const ref = parseRepoRef(flags.repo)
  if (ref.revision !== undefined || ref.path !== undefined) throw new UsageError(`--repo takes a repo, not a revision or path: '${flags.repo}'.`)
  const { LocalDirSource } = await import('../serve/local-dir-source.js')
  return new LocalDirSource(path.resolve(flags.localDir), { type: ref.type, id: ref.id })
}

async function readToken(file: string): Promise<string> {
  const text = await readSmallFile(file, MAX_TOKEN_FILE_BYTES).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read the token file ${file} (${err.code ?? err.message}).`)
  })
  const token = cleanToken(text)
  if (!token) throw new UsageError(`the token file ${file} is empty.`)
  return token
}
