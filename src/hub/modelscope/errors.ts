// hfx's typed errors, with advice that fits ModelScope: its web pages, MODELSCOPE_API_TOKEN and ms:// names.
// They extend the Hugging Face classes, so codes, exit codes and `instanceof` checks stay the same.
import {
  EntryNotFoundError,
  EXIT,
  HfxError,
  ProtocolError,
  RepoNotFoundError,
  RevisionNotFoundError,
} from '../../errors.js'
import type { RepoRef } from '../../repo/repo-ref.js'
import { tokenPageUrl, webUrl } from './urls.js'

type Repo = Pick<RepoRef, 'type' | 'id'>

/** How a user names this repo to hfx again: ms://org/name or ms://datasets/org/name. */
export function msName(ref: Repo, revision?: string): string {
  return `ms://${ref.type === 'dataset' ? 'datasets/' : ''}${ref.id}${revision ? `@${revision}` : ''}`
}

export class ModelScopeRepoNotFoundError extends RepoNotFoundError {
  override readonly hint: string
  constructor(ref: Repo, hasToken: boolean, endpoint: string) {
    super(ref.id, hasToken, endpoint)
    this.hint = hasToken
      ? `Check the name at ${webUrl(endpoint, ref)}; if it is private, the account behind MODELSCOPE_API_TOKEN must have access to it.`
      : `Check the name at ${webUrl(endpoint, ref)}${ref.type === 'model' ? ' (for a dataset: ms://datasets/org/name)' : ''}; if it is private, create a token at ${tokenPageUrl(endpoint)} and set MODELSCOPE_API_TOKEN.`
  }
}

export class ModelScopeRevisionNotFoundError extends RevisionNotFoundError {
  override readonly hint: string
  constructor(ref: Repo, revision: string, endpoint: string, known?: { branches: string[]; tags: string[] }) {
    super(ref.id, revision, endpoint)
    const list = known ? ` Branches: ${known.branches.join(', ') || '(none)'}; tags: ${known.tags.join(', ') || '(none)'}.` : ''
    this.hint = `ModelScope resolves branches and tags by name, not commit ids.${list} See ${webUrl(endpoint, ref)}.`
  }
}

export class ModelScopeEntryNotFoundError extends EntryNotFoundError {
  override readonly hint: string
  constructor(ref: Repo, path: string, revision: string) {
    super(ref.id, path, revision)
    this.hint = `List the files with: hfx ls ${msName(ref, revision)}`
  }
}

/** ModelScope refused a request that carried a token: the token is wrong, expired, or lacks access. */
export class ModelScopeAccessError extends HfxError {
  override readonly code = 'ACCESS_DENIED'
  override readonly exitCode = EXIT.auth
  constructor(ref: Repo, endpoint: string, tokenSource: string, detail: string) {
    super(
      `ModelScope refused access to ${ref.id} with the token from ${tokenSource}${detail ? ` (${detail})` : ''}.`,
      `Check the token at ${tokenPageUrl(endpoint)} and that its account can open ${webUrl(endpoint, ref)}.`,
    )
  }
}

/** A listed file with no sha256: hfx verifies every byte and has nothing to verify this one against. */
export class MissingHashError extends ProtocolError {
  override readonly code = 'NO_HASH'
  constructor(ref: Repo, path: string, endpoint: string) {
    super(
      `ModelScope listed ${path} in ${ref.id} without a Sha256, so hfx cannot verify it; refusing to download unverified bytes.`,
      `Report it to the repo owner at ${webUrl(endpoint, ref)}, or fetch that file with the modelscope CLI, which does not check it.`,
    )
  }
}
