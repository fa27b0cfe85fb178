// The cache folder for `hfx cache` subcommands: the same --cache-dir / HF_HUB_CACHE / HF_HOME rules as every
// command, without opening a Hub session that listing and deleting never need. ModelScope repos (--hub
// modelscope, ms://org/name) live in a cache of their own, so the hub picks the folder too.
import { hubNameOf, type HubName } from '../repo/hub-name.js'
import { settingsFor } from '../session.js'
import type { GlobalFlags, Settings } from '../settings.js'

/** `refHub`: the hub a parsed reference named, if any (RepoRef.hub). */
export function cacheSettings(flags: GlobalFlags, refHub?: HubName): Settings {
  return settingsFor(flags, hubNameOf(flags, { hub: refHub }))
}
