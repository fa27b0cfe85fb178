// The hfx entry point: builds the commander program, runs it, and is the one place errors become text.
import { Command, CommanderError, Option } from 'commander'
import { cacheCommand } from './commands/cache.js'
import { infoCommand } from './commands/info.js'
import { lockCommand } from './commands/lock.js'
import { lsCommand } from './commands/ls.js'
import { pullCommand } from './commands/pull.js'
import { serveCommand } from './commands/serve.js'
import { outputClosed, watchOutput } from './closed-output.js'
import { escapeControls } from './escape-controls.js'
import { EXIT, toHfxError } from './errors.js'
import { exitCodesText } from './exit-codes-text.js'
import { maskCredentials } from './repo/mask-credentials.js'
import { defuseLegacy } from './report/workflow-commands.js'
import { ciFrom, debugStacks } from './settings.js'
import { VERSION } from './version.js'

export function buildProgram(): Command {
  const program = new Command('hfx')
    .description('Fetch and inspect models and datasets on the Hugging Face Hub.\nVerified, resumable, parallel; writes the huggingface_hub cache.')
    .version(VERSION, '-V, --version')
    .option('--endpoint <url>', 'Hub endpoint (default: $HF_ENDPOINT or https://huggingface.co)')
    .option('--token <token>', 'access token (default: $HF_TOKEN, then the token file of `hf auth login`)')
    .option('--cache-dir <dir>', 'cache folder (default: $HF_HUB_CACHE or $HF_HOME/hub)')
    .addOption(new Option('--hub <hub>', 'which hub: huggingface (or a mirror of it, with --endpoint) or modelscope; ms://org/name also picks ModelScope').choices(['huggingface', 'modelscope']))
    .showHelpAfterError('(run with --help for usage)')
    // Every subcommand's help lists these too (commander copies help settings to commands made after it):
    // `hfx pull --help` is where people look for --token or --cache-dir.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
  lsCommand(program)
  infoCommand(program)
  pullCommand(program)
  cacheCommand(program)
  lockCommand(program)
  serveCommand(program)
  program.addHelpText(
    'after',
    `
Examples:
  hfx ls deepseek-ai/DeepSeek-V3            what is in a repo, with sizes
  hfx info deepseek-ai/DeepSeek-V3          architecture, parameters, memory, from headers only
  hfx pull Qwen/Qwen2.5-0.5B                download into the Hugging Face cache
  hfx pull ms://Qwen/Qwen2.5-0.5B           the same from ModelScope
  hfx cache ls                              what is on disk, and how much
  hfx lock add Qwen/Qwen2.5-0.5B            pin a repo to its commit and file hashes in hfx.lock
  hfx serve --host 0.0.0.0                  serve the cache as a read-only Hub (HF_ENDPOINT) for offline machines

Environment: HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_HUB_DOWNLOAD_TIMEOUT,
HF_OIDC_RESOURCE (keyless auth in GitHub Actions), HFX_LIMIT_RATE, HFX_MIN_SPEED,
HTTPS_PROXY/HTTP_PROXY/NO_PROXY, NO_COLOR, MODELSCOPE_DOMAIN, MODELSCOPE_API_TOKEN.

${exitCodesText()}`,
  )
  for (const cmd of program.commands) cmd.exitOverride()
  return program
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv)
    return outputClosed() ? EXIT.closedPipe : EXIT.ok
  } catch (err) {
    // Whatever stopped the work after the reader went away (the pull aborted for it), there is nobody to tell.
    if (outputClosed()) return EXIT.closedPipe
    if (err instanceof CommanderError) {
      // commander has already printed its message (or the help / version).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    const e = toHfxError(err)
    // Messages quote server data (X-Error-Message, ModelScope's error text, file paths): shown, never obeyed.
    // URLs in them went through redactUrl already; maskCredentials again is the last line for a password.
    // On GitHub Actions a `##[command]` anywhere in a line is obeyed: shown inert there (workflow-commands.ts).
    const github = ciFrom().ci === 'github'
    const shown = (text: string) => {
      const escaped = escapeControls(maskCredentials(text))
      return github ? defuseLegacy(escaped) : escaped
    }
    process.stderr.write(`error: ${shown(e.message)}\n`)
    if (e.hint) process.stderr.write(`hint: ${shown(e.hint)}\n`)
    if (debugStacks() && e.cause) process.stderr.write(`${shown(String((e.cause as Error)?.stack ?? e.cause))}\n`)
    return e.exitCode
  }
}

watchOutput()
const code = await main(process.argv)
process.exitCode = outputClosed() ? EXIT.closedPipe : code
