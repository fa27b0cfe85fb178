// Module-loader hooks (they run on the loader's own thread): one line per module loaded, to $HFX_MODULE_LOG.
// CommonJS files that a CommonJS package requires itself do not pass here; the package's entry does.
import { appendFileSync } from 'node:fs'

export async function load(url, context, nextLoad) {
  if (process.env.HFX_MODULE_LOG) appendFileSync(process.env.HFX_MODULE_LOG, `${url}\n`)
  return nextLoad(url, context)
}
