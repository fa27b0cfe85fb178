// Runs in a worker thread (see receive-pool.ts): receives Range answers through a lean client of its own and
// writes them into the main thread's partial file, by descriptor, at their offsets. It runs the very code the
// main thread runs without threads (range-request.ts fetchRangeLean: the answer's checks, the speed floor, the
// body writer), so both paths fail alike; what it cannot own stays on the main thread and is asked for by
// message: the bandwidth cap shared by the whole pull, and the bookkeeping of every write (the sidecar, the
// hash frontier, the progress), told after each write lands.
import { parentPort } from 'node:worker_threads'
import { LeanClient } from '../hub/lean-client.js'
import type { WriteSizer } from './body-writer.js'
import { descriptorWriter, fetchRangeLean, type LeanIO, type RemoteRange } from './range-request.js'
import { fromWire, toWire, type WireError } from './wire-error.js'
import type { LeanFallback } from '../hub/lean-client.js'

export type ReceiveRequest =
  /** `writeSize`: the write size the pull's memory budget gave this connection; `capped`: ask before reading. */
  | { op: 'fetch'; id: number; job: RemoteRange; writeSize?: number; capped: boolean }
  | { op: 'abort'; id: number }
  /** The cap let `seq`'s bytes through, or the wait failed (the pull was interrupted). */
  | { op: 'tokens'; id: number; seq: number; error?: WireError }

export type ReceiveReply =
  | { op: 'wrote'; id: number; offset: number; n: number }
  | { op: 'take'; id: number; seq: number; n: number }
  | { op: 'done'; id: number; result: number | LeanFallback }
  | { op: 'failed'; id: number; error: WireError }

const port = parentPort
if (!port) throw new Error('receive-worker.js runs in a worker thread')
const post = (m: ReceiveReply) => port.postMessage(m)

/** One client per connect timeout (a mirror's is shorter than the Hub's): keep-alive pools live across requests. */
const clients = new Map<number, LeanClient>()
const aborts = new Map<number, AbortController>()
/** The bandwidth cap's answers awaited, by sequence number (unique across requests). */
const capWaits = new Map<number, { resolve(): void; reject(err: Error): void }>()
let seqs = 0

function clientFor(connectTimeoutMs: number): LeanClient {
  let client = clients.get(connectTimeoutMs)
  if (!client) clients.set(connectTimeoutMs, (client = new LeanClient(connectTimeoutMs)))
  return client
}

/** A fixed write size: the main thread joined the pull's budget for this connection and sent its share. */
function fixedSize(writeBuffer: number | undefined): WriteSizer | undefined {
  return writeBuffer === undefined ? undefined : { writeBuffer, join: () => () => {} }
}

async function fetch(m: Extract<ReceiveRequest, { op: 'fetch' }>): Promise<void> {
  const { id, job } = m
  const abort = new AbortController()
  aborts.set(id, abort)
  const { request, connectTimeoutMs } = job.plan
  const client = clientFor(connectTimeoutMs)
  const io: LeanIO = {
    endpoint: job.endpoint,
    tokenSource: job.tokenSource,
    http: {
      leanGet: (url, opts = {}) =>
        client.get({ ...request, url, headers: { ...request.headers, ...opts.headers }, signal: opts.signal, timeoutMs: opts.timeoutMs ?? request.timeoutMs }),
    },
  }
  const cap = m.capped
    ? (n: number) =>
        new Promise<void>((resolve, reject) => {
          const seq = ++seqs
          capWaits.set(seq, { resolve, reject })
          post({ op: 'take', id, seq, n })
        })
    : undefined
  try {
    const result = await fetchRangeLean(
      io,
      job.target,
      job.range,
      descriptorWriter(job.fd),
      (offset, _bufs, n) => post({ op: 'wrote', id, offset, n }),
      abort.signal,
      job.wholeFile,
      { floor: job.floor, cap, memory: fixedSize(m.writeSize) },
    )
    post({ op: 'done', id, result })
  } catch (err) {
    post({ op: 'failed', id, error: toWire(err) })
  } finally {
    aborts.delete(id)
  }
}

port.on('message', (m: ReceiveRequest) => {
  switch (m.op) {
    case 'fetch':
      return void fetch(m)
    case 'abort':
      return aborts.get(m.id)?.abort()
    case 'tokens': {
      const wait = capWaits.get(m.seq)
      capWaits.delete(m.seq)
      if (m.error) wait?.reject(fromWire(m.error))
      else wait?.resolve()
    }
  }
})
