// An emulator serving one LFS file of GIB GiB (default 1) on loopback, for measuring a pull's CPU by hand
// (BENCHMARKS.md, "the lean reader"). Run after `npx tsc -p .`:
//   npx vite-node test/manual/loopback-file.ts &          # prints http://127.0.0.1:PORT
//   HF_ENDPOINT=http://127.0.0.1:PORT HF_HOME=$(mktemp -d) /usr/bin/time -f '%U %S %M' node dist/cli.js pull bench/loopback --quiet
// HFX_LEAN_READER=0 reads the same bytes through undici instead. TLS=cdn (or both) serves over HTTPS with a
// throwaway CA, whose path is printed second: give it to hfx as NODE_EXTRA_CA_CERTS. SHARDS=4 serves four
// files of GIB GiB each (the bench's payload e); LINK=b throttles as the bench's CDN-like link.
import { GiB, LINKS, sharedBytes } from '../../bench/scenarios.js'
import { startHub } from '../emulator/index.js'

const tls = process.env.TLS === 'cdn' || process.env.TLS === 'both' ? process.env.TLS : undefined
const hub = await startHub({ tls })
const size = Math.round(GiB * Number(process.env.GIB ?? 1))
const shards = Number(process.env.SHARDS ?? 1)
const all = sharedBytes(shards * size)
const files = shards === 1 ? ['model.safetensors'] : Array.from({ length: shards }, (_, i) => `model-${i + 1}-of-${shards}.safetensors`)
hub.addRepo('bench/loopback', Object.fromEntries(files.map((f, i) => [f, { content: all.subarray(i * size, (i + 1) * size), lfs: true }])))
if (process.env.LINK) hub.throttle(LINKS[process.env.LINK]!.throttle)
console.log(hub.url)
if (hub.caFile) console.log(hub.caFile)
process.on('SIGTERM', () => void hub.close().then(() => process.exit(0)))
