// `hfx info` on a DeepSeek-V3-shaped repo of 163 safetensors shards behind 20 ms of latency: wall time,
// bytes read and requests, as the user of a 690 GB repo would see them. The shards are small here; what
// info reads depends on the number of shards and the header sizes, not on the weights.
import { spawn } from 'node:child_process'
import { startHub } from '../test/emulator/index.js'
import { deepseekV3Tensors } from '../test/helpers/model-shapes.js'
import { shardCheckpoint } from '../test/helpers/safetensors-writer.js'
import { HFX } from './contenders.js'
import { hubOptions, trustEnv, type Transport } from './transport.js'

export interface InfoResult {
  shards: number
  wallS: number
  bytesRead: number
  fileRequests: number
  hubRequests: number
  weightsBytes: number
}

export async function measureInfo(transport: Transport): Promise<InfoResult> {
  const hub = await startHub(hubOptions(transport))
  try {
    hub.throttle({ latencyMs: 20 })
    const tensors = deepseekV3Tensors({ layers: 61, firstDense: 3, hidden: 128, intermediate: 256, moeIntermediate: 64, heads: 4, qLoraRank: 64, kvLoraRank: 32, ropeDim: 8, nopeDim: 16, vDim: 16, routed: 16, shared: 1, vocab: 1024, block: 128 })
    const ckpt = shardCheckpoint(tensors, 163)
    const files: Record<string, { content: Buffer; lfs: boolean } | string> = {
      'config.json': JSON.stringify({ architectures: ['DeepseekV3ForCausalLM'], model_type: 'deepseek_v3', num_hidden_layers: 61, n_routed_experts: 16, num_experts_per_tok: 4, first_k_dense_replace: 3 }),
      'model.safetensors.index.json': JSON.stringify(ckpt.index),
    }
    for (const [name, buf] of Object.entries(ckpt.files)) files[name] = { content: buf, lfs: true }
    hub.addRepo('bench/deepseek-163', files)
    const weightsBytes = Object.values(ckpt.files).reduce((n, b) => n + b.length, 0)
    hub.resetLog()
    const started = performance.now()
    const child = spawn(process.execPath, [HFX, 'info', 'bench/deepseek-163', '--json'], { env: { ...trustEnv(hub.caFile), HF_ENDPOINT: hub.url } })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    const code = await new Promise<number | null>((r) => child.on('close', r))
    const wallS = (performance.now() - started) / 1000
    if (code !== 0) throw new Error(`hfx info exited ${code}`)
    const s = JSON.parse(out) as { bytesRead: number; requests: number }
    return { shards: 163, wallS, bytesRead: s.bytesRead, fileRequests: s.requests, hubRequests: hub.requests.length, weightsBytes }
  } finally {
    await hub.close()
  }
}
