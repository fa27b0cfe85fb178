// An emulator serving metadata shaped to cost a client memory, for measuring hfx's peak RSS by hand (the
// numbers are in BENCHMARKS.md; tests assert the limits' errors, never memory). Run after `npx tsc -p .`:
//   npx vite-node test/manual/hostile-hub.ts &      # prints http://127.0.0.1:PORT
//   HF_ENDPOINT=http://127.0.0.1:PORT /usr/bin/time -v node dist/cli.js ls hostile/many-pages --flat > /dev/null
// Repos:
//   hostile/fat-pages     4 tree pages of 60 MB (241 MB of realistic file entries)
//   hostile/many-pages    30 tree pages of 8 MB (241 MB, 968,700 files: within the limits)
//   hostile/huge-listing  80 tree pages of 8 MB (640 MB)
//   hostile/big-headers   12 safetensors shards whose headers are 10 MB each (80,000 tensors a shard)
import { createHash } from 'node:crypto'
import { startHub } from '../emulator/index.js'
import { safetensorsFile, type TensorSpec } from '../helpers/safetensors-writer.js'

const MB = 1_000_000

/** A tree page of realistic LFS file entries, about `bytes` long, with paths unique to (repo, page). */
function treePage(tag: string, page: number, bytes: number): string {
  const parts: string[] = []
  let size = 2
  for (let i = 0; size < bytes; i++) {
    const path = `data/${tag}/part-${String(page).padStart(5, '0')}/shard-${String(i).padStart(6, '0')}.parquet`
    const oid = createHash('sha1').update(path).digest('hex')
    const sha = createHash('sha256').update(path).digest('hex')
    const entry = `{"type":"file","oid":"${oid}","size":123456789,"path":"${path}","lfs":{"oid":"${sha}","size":123456789,"pointerSize":134}}`
    parts.push(entry)
    size += entry.length + 1
  }
  return `[${parts.join(',')}]`
}

function cachedPages(tag: string, count: number, bytes: number): { count: number; body(page: number): string } {
  const cache = new Map<number, string>()
  return {
    count,
    body(page) {
      let body = cache.get(page)
      if (!body) cache.set(page, (body = treePage(tag, page, bytes)))
      // Kept only while the next page is being asked for: the emulator must not hold 640 MB itself.
      for (const k of cache.keys()) if (k < page) cache.delete(k)
      return body
    },
  }
}

const hub = await startHub()
hub.addRepo('hostile/fat-pages', { 'a.json': '{}' }).rawTreePages = cachedPages('fat', 4, 60.25 * MB)
hub.addRepo('hostile/many-pages', { 'a.json': '{}' }).rawTreePages = cachedPages('many', 30, 8.04 * MB)
hub.addRepo('hostile/huge-listing', { 'a.json': '{}' }).rawTreePages = cachedPages('huge', 80, 8 * MB)

const shards: Record<string, { content: Buffer; lfs: boolean }> = {}
for (let s = 1; s <= 12; s++) {
  const tensors: TensorSpec[] = []
  for (let i = 0; i < 80_000; i++) {
    tensors.push({ name: `model.layers.${s}.mlp.experts.${i}.down_proj.weight`, dtype: 'BF16', shape: [1, 1] })
  }
  shards[`model-${String(s).padStart(5, '0')}-of-00012.safetensors`] = { content: safetensorsFile(tensors), lfs: true }
}
hub.addRepo('hostile/big-headers', { 'config.json': '{"model_type":"llama"}', ...shards })

process.stdout.write(`${hub.url}\n`)
const stop = () => hub.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
