// Options every repo-taking command shares, and the one conversion from them to a RepoRef.
import { Option, type Command } from 'commander'
import { parseRepoRef, type RepoRef, type RepoType } from '../repo/repo-ref.js'
import type { GlobalFlags, Settings } from '../settings.js'

export interface RepoFlags extends GlobalFlags {
  repoType?: RepoType
  revision?: string
}

export function addRepoOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--repo-type <type>', 'repo type, when the reference has no datasets/ or spaces/ prefix').choices(['model', 'dataset', 'space']))
    .option('-r, --revision <rev>', 'branch, tag, commit or refs/pr/N (default: main)')
}

export function addSelectOptions(cmd: Command): Command {
  const collect = (v: string, prev: string[] = []) => [...prev, v]
  return cmd
    .option('-i, --include <glob>', 'only paths matching this glob (repeatable; * crosses /)', collect)
    .option('-x, --exclude <glob>', 'skip paths matching this glob (repeatable)', collect)
}

/**
 * A pasted URL may name the Hugging Face endpoint's host: `hfSettings` are the Hugging Face hub's Settings
 * (--endpoint or HF_ENDPOINT), asked for before the reference can say which hub it names.
 */
export function repoRefFrom(input: string, flags: RepoFlags, hfSettings: Pick<Settings, 'endpoint'>, allowVariant = false): RepoRef {
  return parseRepoRef(input, {
    repoType: flags.repoType,
    revision: flags.revision,
    endpoint: hfSettings.endpoint,
    hub: flags.hub,
    allowVariant,
  })
}
