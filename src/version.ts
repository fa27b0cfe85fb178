import { createRequire } from 'node:module'

// Read once from package.json so `hfx --version` and the User-Agent never drift from the published version.
export const VERSION: string = createRequire(import.meta.url)('../package.json').version
