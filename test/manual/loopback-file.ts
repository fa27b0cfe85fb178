// An emulator serving one LFS file of GIB GiB (default 1) on loopback, for measuring a pull's CPU by hand
// (BENCHMARKS.md, "the lean reader"). Run after `npx tsc -p .`:
//   npx vite-node test/manual/loopback-file.ts &          # prints http://127.0.0.1:PORT
//   HF_ENDPOINT=http://127.0.0.1:PORT HF_HOME=$(mktemp -d) /usr/bin/time -f '%U %S %M' node dist/cli.js pull bench/loopback --quiet
// HFX_LEAN_READER=0 reads the same bytes through undici instead.
import { GiB, sharedBytes } from '../../bench/scenarios.js'
import { startHub } from '../emulator/index.js'

const hub = await startHub()
hub.addRepo('bench/loopback', { 'model.safetensors': { content: sharedBytes(Math.round(GiB * Number(process.env.GIB ?? 1))), lfs: true } })
console.log(hub.url)
process.on('SIGTERM', () => void hub.close().then(() => process.exit(0)))
