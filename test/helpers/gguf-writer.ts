// Builds a small valid GGUF v3 file in tests, per the GGUF spec (ggml docs/gguf.md): "GGUF" magic, u32 version,
// u64 tensor count, u64 metadata count, key/value pairs (u64-length strings, u32 value type), tensor infos
// (name, u32 n_dims, u64 dims, u32 ggml type, u64 offset into the data), padding to general.alignment (32),
// then the tensor data. All little-endian.

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'u64'; value: bigint }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }

export interface GgufTensor {
  name: string
  /** GGML order: ne[0] (the innermost, contiguous dimension) first. */
  dims: number[]
  /** ggml_type: 0 F32, 1 F16. */
  ggmlType: 0 | 1
}

const ALIGNMENT = 32
const VALUE_TYPE = { u32: 4, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}

function u64(n: number | bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64LE(BigInt(n))
  return b
}

function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8')
  return Buffer.concat([u64(bytes.length), bytes])
}

function value(v: GgufValue): Buffer {
  switch (v.type) {
    case 'u32':
      return Buffer.concat([u32(VALUE_TYPE.u32), u32(v.value)])
    case 'u64':
      return Buffer.concat([u32(VALUE_TYPE.u64), u64(v.value)])
    case 'f32': {
      const b = Buffer.alloc(4)
      b.writeFloatLE(v.value)
      return Buffer.concat([u32(VALUE_TYPE.f32), b])
    }
    case 'bool':
      return Buffer.concat([u32(VALUE_TYPE.bool), Buffer.from([v.value ? 1 : 0])])
    case 'string':
      return Buffer.concat([u32(VALUE_TYPE.string), str(v.value)])
    case 'strings':
      return Buffer.concat([u32(VALUE_TYPE.array), u32(VALUE_TYPE.string), u64(v.value.length), ...v.value.map(str)])
  }
}

const pad = (n: number) => (ALIGNMENT - (n % ALIGNMENT)) % ALIGNMENT

export function ggufFile(metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Buffer {
  const kv = Object.entries(metadata).map(([k, v]) => Buffer.concat([str(k), value(v)]))
  const infos: Buffer[] = []
  let offset = 0
  for (const t of tensors) {
    infos.push(Buffer.concat([str(t.name), u32(t.dims.length), ...t.dims.map((d) => u64(d)), u32(t.ggmlType), u64(offset)]))
    const size = t.dims.reduce((a, b) => a * b, 1) * (t.ggmlType === 0 ? 4 : 2)
    offset += size + pad(size)
  }
  const head = Buffer.concat([Buffer.from('GGUF', 'ascii'), u32(3), u64(tensors.length), u64(kv.length), ...kv, ...infos])
  return Buffer.concat([head, Buffer.alloc(pad(head.length)), Buffer.alloc(offset)])
}
