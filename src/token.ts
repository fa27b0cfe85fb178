// The token file is huggingface_hub's (`hf auth login` writes it), read only when settings.ts found no token
// given directly and implicit tokens are allowed (settings.tokenFile is then set).
import { readFile } from 'node:fs/promises'
import type { Token } from './hub/http.js'
import { cleanToken, type Settings } from './settings.js'

export async function findToken(settings: Settings): Promise<Token | undefined> {
  if (settings.token) return settings.token.value ? settings.token : undefined
  if (!settings.tokenFile) return undefined
  try {
    const value = cleanToken(await readFile(settings.tokenFile, 'utf8'))
    return value ? { value, source: settings.tokenFile } : undefined
  } catch {
    return undefined // no token file: anonymous access, like huggingface_hub
  }
}
