// ModelScope (modelscope.cn) behind the HubBackend interface. Placeholder until the ModelScope client lands:
// every call says plainly that it is not there yet.
import { UsageError } from '../../errors.js'
import type { HubBackend } from '../backend.js'

const notYet = (): never => {
  throw new UsageError('ModelScope support is not built yet.', 'Use a Hugging Face repo (or a mirror with HF_ENDPOINT).')
}

export const modelscope: HubBackend = {
  name: 'ModelScope',
  resolveRevision: async () => notYet(),
  // eslint-disable-next-line require-yield
  listTree: async function* () {
    notYet()
  },
  locateFile: async () => notYet(),
}
