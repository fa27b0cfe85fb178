// hfx cache: see, verify and clean the shared Hugging Face cache, whoever filled it.
import type { Command } from 'commander'
import { cacheKeyCommand } from './cache-key.js'
import { cacheLsCommand } from './cache-ls.js'
import { cachePruneCommand, cacheRmCommand } from './cache-remove.js'
import { cacheVerifyCommand } from './cache-verify.js'

export function cacheCommand(program: Command): void {
  const cache = program
    .command('cache')
    .description('see, verify and clean the local Hugging Face cache (written by hfx, huggingface_hub or transformers)')
  cacheLsCommand(cache)
  cacheVerifyCommand(cache)
  cacheRmCommand(cache)
  cachePruneCommand(cache)
  cacheKeyCommand(cache)
  cache.addHelpText(
    'after',
    `
Examples:
  hfx cache ls --sort size                  what takes the space
  hfx cache ls Qwen/Qwen2.5-0.5B            its revisions, refs and sizes
  hfx cache verify Qwen/Qwen2.5-0.5B --fix  re-hash every file, fetch the bad ones again
  hfx cache rm Qwen/Qwen2.5-0.5B@v1.0       one revision, keeping blobs others use
  hfx cache prune --older-than 12h --dry-run`,
  )
}
