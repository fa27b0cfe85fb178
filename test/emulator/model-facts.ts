// What the Hub's model info derives from a commit's files and gives to anyone, gated or not: `config`
// ({architectures, model_type} from config.json) and `safetensors` (parameters by dtype from the headers of
// the root .safetensors files, every tensor counted, scales included, as the Hub's own count does).
import type { Commit } from './repos.js'

export function modelFacts(commit: Commit): { config?: Record<string, unknown>; safetensors?: { parameters: Record<string, number>; total: number } } {
  const out: ReturnType<typeof modelFacts> = {}
  const config = commit.files.get('config.json')
  if (config) {
    try {
      const c = JSON.parse(config.content.toString('utf8')) as Record<string, unknown>
      out.config = { architectures: c.architectures, model_type: c.model_type }
    } catch {
      // not JSON: the Hub gives no config then
    }
  }
  const parameters: Record<string, number> = {}
  for (const [path, blob] of commit.files) {
    if (path.includes('/') || !path.endsWith('.safetensors')) continue
    const header = safetensorsHeader(blob.content)
    for (const [name, t] of Object.entries(header ?? {})) {
      if (name === '__metadata__' || !t || !Array.isArray(t.shape)) continue
      parameters[t.dtype] = (parameters[t.dtype] ?? 0) + t.shape.reduce((a: number, b: number) => a * b, 1)
    }
  }
  const total = Object.values(parameters).reduce((a, b) => a + b, 0)
  if (total > 0) out.safetensors = { parameters, total }
  return out
}

function safetensorsHeader(buf: Buffer): Record<string, { dtype: string; shape: number[] }> | undefined {
  if (buf.length < 8) return undefined
  const len = Number(buf.readBigUInt64LE(0))
  if (len > buf.length - 8) return undefined
  try {
    return JSON.parse(buf.subarray(8, 8 + len).toString('utf8'))
  } catch {
    return undefined
  }
}
