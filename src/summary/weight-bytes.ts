// Weight memory at the precisions models are served in. Pure. Parameters × bytes per parameter only: a
// quantized copy also carries its scales and zero points (3–6% more for int4 at group 128: a 16-bit scale,
// and perhaps a zero point, per 64 bytes of weights; well under 1% for fp8), which depend on the format.

export type ServingPrecision = 'bf16' | 'fp8' | 'int4'

export const BYTES_PER_PARAM: Record<ServingPrecision, number> = { bf16: 2, fp8: 1, int4: 0.5 }

export function weightBytes(params: number, precision: ServingPrecision): number {
  return params * BYTES_PER_PARAM[precision]
}
