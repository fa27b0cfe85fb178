// Reads a small JSON file of the repo (config.json, model.safetensors.index.json) at one commit, through the
// hub's bounded small-file read. A file that is missing, too large or not JSON is a typed error the summary
// turns into a note.
import { ProtocolError } from '../errors.js'
import type { Hub, ReadMeter } from '../hub/hub.js'
import type { RepoRef } from '../repo/repo-ref.js'

export class BadJsonFileError extends ProtocolError {
  override readonly code = 'BAD_JSON_FILE'
}

export async function readRepoJson(hub: Hub, ref: RepoRef, commit: string, path: string, limit: number, meter: ReadMeter): Promise<unknown> {
  const raw = await hub.readSmallFile(ref, commit, path, limit, meter)
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new BadJsonFileError(`${path} is not valid JSON`)
  }
}
