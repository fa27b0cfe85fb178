// The cache folder for `hfx cache` subcommands: the same --cache-dir / HF_HUB_CACHE / HF_HOME rules as every
// command, without opening a Hub session that listing and deleting never need. ModelScope repos (--hub
// modelscope, ms://org/name) live in a cache of their own, so the hub picks the folder too.
import os from 'node:os'
import type { HubName } from '../repo/repo-ref.js'
import { processEnv, settingsFrom, type GlobalFlags, type Settings } from '../settings.js'

export function cacheSettings(flags: GlobalFlags, hub?: HubName): Settings {
  return settingsFrom(processEnv(), flags, os.homedir(), hub ?? (flags.hub === 'modelscope' ? 'modelscope' : 'huggingface'))
}
