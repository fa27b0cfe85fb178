// The test fixtures with the ModelScope emulator beside the Hugging Face one: `ms`, and `both`, an hfx that
// reaches each (HF_ENDPOINT for the Hugging Face emulator, MODELSCOPE_DOMAIN for ModelScope's).
import { startModelScope, type ModelScope } from '../emulator-modelscope/index.js'
import { test as base, type Hfx, type RunResult } from './test.js'

export type Run = (...args: string[]) => Promise<RunResult>

export const test = base.extend<{ ms: ModelScope; both: Run }>({
  ms: async ({}, use) => {
    const ms = await startModelScope()
    await use(ms)
    await ms.close()
  },
  both: async ({ ms, hfx }: { ms: ModelScope; hfx: Hfx }, use: (run: Run) => Promise<void>) => {
    await use(hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } }))
  },
})
