// The token file is huggingface_hub's (`hf auth login` writes it), read only when no flag or variable gave one.
import { readFile } from 'node:fs/promises'
import type { Token } from './hub/http.js'
import type { Settings } from './settings.js'

export async function findToken(settings: Settings): Promise<Token | undefined> {
  if (settings.token) return settings.token.value ? settings.token : undefined
  if (!settings.tokenPath) return undefined // a hub without a token file (ModelScope)
  try {
    const value = (await readFile(settings.tokenPath, 'utf8')).trim()
    return value ? { value, source: settings.tokenPath } : undefined
  } catch {
    return undefined // no token file: anonymous access, like huggingface_hub
  }
}
