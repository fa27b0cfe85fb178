// Reads one GGUF file's metadata and tensor infos with @huggingface/gguf, which fetches 2 MB Range chunks
// until it has them (tokenizer vocabularies make GGUF metadata megabytes long, so a smaller first read would
// only add round trips). Its requests go through our Http client via a custom fetch, so the token rule,
// proxies, the bounded read and the byte count all hold.
import { gguf } from '@huggingface/gguf'
import type { Hub, RangeSource, ReadMeter } from '../hub/hub.js'
import { repoName, type RepoRef } from '../repo/repo-ref.js'
import { summarizeGguf, type GgufFileSummary } from './gguf-summary.js'

export async function readGgufFile(
  hub: Hub,
  ref: RepoRef,
  commit: string,
  file: { path: string; size: number },
  meter: ReadMeter,
): Promise<GgufFileSummary> {
  const { url } = await hub.locateFile(ref, commit, file.path)
  meter.requests++
  const src: RangeSource = { url, repoId: repoName(ref), path: file.path, commit }
  const parsed = await gguf(url, { fetch: rangeFetch(hub, src, file.size, meter), computeParametersCount: true })
  return summarizeGguf(file, parsed.metadata as Record<string, unknown>, {
    parameterCount: parsed.parameterCount,
    tensorCount: parsed.tensorInfos.length,
  })
}

/** A fetch that answers only `Range: bytes=a-b` requests for this one file, from readRange. */
function rangeFetch(hub: Hub, src: RangeSource, size: number, meter: ReadMeter): typeof fetch {
  return async (_input, init) => {
    const range = new Headers(init?.headers).get('range')
    const m = range && /^bytes=(\d+)-(\d+)$/.exec(range)
    if (!m) throw new Error(`gguf reader asked for ${range ?? 'no range'}; only byte ranges are served`)
    const start = Number(m[1])
    const end = Math.min(Number(m[2]) + 1, size)
    const body = start < end ? await hub.readRange(src, start, end, meter) : Buffer.alloc(0)
    const headers = { 'content-range': `bytes ${start}-${start + Math.max(body.length, 1) - 1}/${size}` }
    return new Response(new Uint8Array(body), { status: 206, headers })
  }
}
