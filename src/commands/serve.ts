// `hfx serve`'s flags and help; the server runs from serve-run.ts, loaded only when serve runs.
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { ServeFlags } from './serve-run.js'

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
      const { runServe } = await import('./serve-run.js')
      await runServe(self)
    })
}
