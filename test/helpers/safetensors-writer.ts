// Builds safetensors files in tests: an 8-byte little-endian header length, the JSON header (padded with
// spaces to 8 bytes, as the reference writer does), then the tensors' bytes, all zero.

export interface TensorSpec {
  name: string
  dtype: string
  shape: number[]
  /** What the test builder meant it to be, so expected counts never depend on hfx's naming rules. */
  role?: 'param' | 'scale'
  /** A routed expert's tensor (for active-parameter expectations). */
  routedExpert?: boolean
}

export const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1, F8_E8M0: 1, I64: 8, I32: 4, U32: 4, I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1,
}

export function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

export function tensorBytes(t: TensorSpec): number {
  return numel(t.shape) * DTYPE_BYTES[t.dtype]!
}

export function safetensorsHeaderJson(tensors: TensorSpec[], metadata: Record<string, string> = { format: 'pt' }): { json: Buffer; dataBytes: number } {
  const header: Record<string, unknown> = { __metadata__: metadata }
  let offset = 0
  for (const t of tensors) {
    const size = tensorBytes(t)
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] }
    offset += size
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8)
  return { json: Buffer.from(json), dataBytes: offset }
}

/** `extraData` appends zero bytes after the tensors (a big data section without thousands of tensors). */
export function safetensorsFile(tensors: TensorSpec[], opts: { metadata?: Record<string, string>; extraData?: number } = {}): Buffer {
  const { json, dataBytes } = safetensorsHeaderJson(tensors, opts.metadata)
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(json.length))
  return Buffer.concat([len, json, Buffer.alloc(dataBytes + (opts.extraData ?? 0))])
}

/** A file whose first 8 bytes claim `declared` header bytes, followed by `body`: for broken-data tests. */
export function rawSafetensors(declared: bigint, body: Buffer | string): Buffer {
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(declared)
  return Buffer.concat([len, typeof body === 'string' ? Buffer.from(body) : body])
}

export interface ShardedCheckpoint {
  files: Record<string, Buffer>
  index: { metadata: { total_size: number }; weight_map: Record<string, string> }
}

/** Splits tensors into n shards in order (layers stay together), named like transformers' save_pretrained. */
export function shardCheckpoint(tensors: TensorSpec[], n: number, prefix = 'model'): ShardedCheckpoint {
  const files: Record<string, Buffer> = {}
  const weightMap: Record<string, string> = {}
  const per = Math.ceil(tensors.length / n)
  let total = 0
  for (let i = 0; i < n; i++) {
    const part = tensors.slice(i * per, (i + 1) * per)
    const name = `${prefix}-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`
    files[name] = safetensorsFile(part)
    for (const t of part) {
      weightMap[t.name] = name
      total += tensorBytes(t)
    }
  }
  return { files, index: { metadata: { total_size: total }, weight_map: weightMap } }
}

/** What a test expects hfx to count, from the builder's own labels. */
export function expectedCounts(tensors: TensorSpec[], opts: { routedExperts?: number; expertsPerToken?: number } = {}) {
  const params = tensors.filter((t) => t.role !== 'scale')
  const scales = tensors.filter((t) => t.role === 'scale')
  const total = params.reduce((n, t) => n + numel(t.shape), 0)
  const byDtype: Record<string, number> = {}
  for (const t of params) byDtype[t.dtype] = (byDtype[t.dtype] ?? 0) + numel(t.shape)
  const routed = params.filter((t) => t.routedExpert).reduce((n, t) => n + numel(t.shape), 0)
  const { routedExperts: n, expertsPerToken: k } = opts
  return {
    total,
    byDtype,
    tensors: tensors.length,
    scaleTensors: scales.length,
    scaleBytes: scales.reduce((b, t) => b + tensorBytes(t), 0),
    tensorBytes: tensors.reduce((b, t) => b + tensorBytes(t), 0),
    routed,
    active: n && k ? Math.round(total - routed * (1 - k / n)) : undefined,
  }
}
