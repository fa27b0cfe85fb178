// The Hub emulator as a process of its own, for tests that need it inside a network namespace
// (test/helpers/netns.ts): `ip netns exec NS vite-node test/helpers/emulator-process.ts -- '<json>'`.
// Argument: { listenHost, repos: [{ id, files: { path: { seed, size, lfs? } } }] } (files from bytes()).
// It prints `ready <json>` ({ url, cdnUrl, sha256: { path: hex } }) once listening, then answers each line
// on stdin: `served` → `served <json>` (bytes sent per file path), `throttle <json>` → `ok`; it stops when
// stdin closes (so it never outlives the test that started it).
import { createInterface } from 'node:readline'
import { startHub } from '../emulator/index.js'
import { bytes } from './files.js'

interface Spec {
  listenHost: string
  repos: { id: string; files: Record<string, { seed: number; size: number; lfs?: boolean }> }[]
}

const spec = JSON.parse(process.argv[process.argv.length - 1]!) as Spec
const hub = await startHub({ listenHost: spec.listenHost })
const sha256: Record<string, string> = {}
const files: { repo: string; path: string }[] = []
for (const r of spec.repos) {
  const specs = Object.fromEntries(Object.entries(r.files).map(([p, f]) => [p, { content: bytes(f.seed, f.size), lfs: f.lfs }]))
  const repo = hub.addRepo(r.id, specs)
  for (const p of Object.keys(specs)) {
    sha256[`${r.id}/${p}`] = repo.sha256(p)
    files.push({ repo: r.id, path: p })
  }
}
process.stdout.write(`ready ${JSON.stringify({ url: hub.url, cdnUrl: hub.cdnUrl, sha256 })}\n`)

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [cmd, arg] = [line.split(' ', 1)[0], line.slice(line.indexOf(' ') + 1)]
  if (cmd === 'served') {
    const served = Object.fromEntries(files.map((f) => [`${f.repo}/${f.path}`, hub.bytesServed(f.path, f.repo)]))
    process.stdout.write(`served ${JSON.stringify(served)}\n`)
  } else if (cmd === 'throttle') {
    hub.throttle(JSON.parse(arg))
    process.stdout.write('ok\n')
  }
})
lines.on('close', () => {
  void hub.close().then(() => process.exit(0))
})
