// Preloaded (`node --import`) by tests that check which modules a command loads: registers
// module-log-hooks.mjs, which appends every module URL the ESM loader loads to $HFX_MODULE_LOG.
// What is loaded is behaviour; how long it takes is not, so no test here measures time.
import { register } from 'node:module'

register(new URL('./module-log-hooks.mjs', import.meta.url))
