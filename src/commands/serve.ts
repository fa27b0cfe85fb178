// `hfx serve`: the cache as a read-only Hub on this machine's network, for sites without internet access
// (pull on a connected box, carry the cache in, serve it). Flags -> start -> print the URL -> wait for a signal.
import path from 'node:path'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import { escapeControls } from '../escape-controls.js'
import { UsageError } from '../errors.js'
import { readSmallFile } from '../no-follow.js'
import { parseRepoRef } from '../repo/repo-ref.js'
import type { ServeSource } from '../serve/cache-source.js'
import { settingsFor } from '../session.js'
import { cleanToken, type GlobalFlags } from '../settings.js'
import { onInterrupt } from './interrupt.js'

interface ServeFlags extends GlobalFlags {
  port: number
  host: string
  tokenFile?: string
  localDir?: string
  repo?: string
}

/** A token file holds one line; a bigger file is not one. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024

function portNumber(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('Not a port number (0 to 65535; 0 picks a free port).')
  return n
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the cache as a read-only Hub endpoint (for HF_ENDPOINT on machines without internet access)')
    .option('--port <port>', 'port to listen on; 0 picks a free one', portNumber, 8080)
    .option('--host <host>', 'address to bind; another than 127.0.0.1 exposes the cache to the network', '127.0.0.1')
    .option('--token-file <file>', 'require `Authorization: Bearer <the token in this file>` on every request')
    .option('--local-dir <dir>', 'serve one repo downloaded with --local-dir (its .cache/huggingface metadata) instead of the cache')
    .option('--repo <repo>', 'with --local-dir: the repo it holds (org/name, datasets/org/name)')
    .addHelpText(
      'after',
      `
Prints the URL it listens on, then logs one line per request to stderr. Only what the cache holds is served;
nothing is written. Ctrl-C stops it.

Examples:
  hfx serve --cache-dir /mnt/hf-cache --host 0.0.0.0 --port 8080
  hfx serve --local-dir ./qwen --repo Qwen/Qwen2.5-0.5B
  HF_ENDPOINT=http://cache-box:8080 hf download Qwen/Qwen2.5-0.5B`,
    )
    .action(async (_opts: ServeFlags, self: Command) => {
      const flags = self.optsWithGlobals<ServeFlags>()
      const source = await sourceFrom(flags)
      // Loaded here, not at start-up: every other command would pay for the server's modules.
      const { startHubServer } = await import('../serve/hub-server.js')
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
    })
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
