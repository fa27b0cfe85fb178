// Choosing the variant a pull fetches: by `:TAG`, or the largest that fits a memory budget by `hfx info --fit`'s
// rule (files within 90 % of the GPU less 1 GiB), with the reason the pull prints and the errors when nothing matches.
import { describe, expect, test } from 'vitest'
import { EXIT, type HfxError } from '../../src/errors.js'
import { needBytes, NoVariantFitsError, pickByFit, pickByTag, UnknownVariantError } from '../../src/pull/pick-variant.js'
import { groupVariants } from '../../src/select/quant-variants.js'
import { thrown } from '../helpers/thrown.js'

const GiB = 1024 ** 3
const GB = 1e9
const set = groupVariants(
  [
    ['Q2_K', 3.2], ['Q3_K_M', 4.0], ['Q4_K_M', 4.9], ['Q5_K_M', 5.7], ['Q6_K', 6.6], ['Q8_0', 8.5], ['F16', 16.1],
  ].map(([q, gb]) => ({ path: `Llama-3.1-8B-Instruct-${q}.gguf`, size: Math.round((gb as number) * GB) })),
)

describe('pickByFit', () => {
  test('takes the largest variant whose files fit the usable share, and names the next one up', () => {
    const pick = pickByFit('acme/llama-gguf', set, 8 * GiB)
    // 8 GiB × 0.9 − 1 GiB = 6.2 GiB = 6.66 GB usable: Q6_K (6.6 GB) fits; Q8_0 needs (8.5 GB + 1 GiB) / 0.9 = 9.91 GiB
    expect(pick.name).toBe('Q6_K')
    expect(pick.files).toEqual(['Llama-3.1-8B-Instruct-Q6_K.gguf'])
    expect(pick.needBytes).toBe(Math.ceil((6.6 * GB + GiB) / 0.9))
    expect(pick.reason).toBe('picked Q6_K (6.60 GB): largest of 7 variants whose weights fit one GPU of 8.00 GiB (90 % usable, 1.00 GiB for the runtime; the KV cache comes on top); Q8_0 needs 9.91 GiB')
  })

  test('a budget exactly at a variant’s need takes it; one byte less does not', () => {
    const q5 = set.variants.find((v) => v.name === 'Q5_K_M')!
    expect(pickByFit('r', set, needBytes(q5)).name).toBe('Q5_K_M')
    expect(pickByFit('r', set, needBytes(q5) - 1).name).toBe('Q4_K_M')
  })

  test('the largest variant fits: no "needs" clause', () => {
    expect(pickByFit('r', set, 80 * GiB).reason).not.toMatch(/needs/)
  })

  test('nothing fits: exit 3, naming the smallest variant and what it needs, with a command that runs', () => {
    const err = thrown(() => pickByFit('acme/llama-gguf', set, 2 * GiB)) as HfxError
    expect(err).toBeInstanceOf(NoVariantFitsError)
    expect(err.exitCode).toBe(EXIT.notFound)
    expect(err.message).toBe('no variant of acme/llama-gguf fits in 2.00 GiB: the smallest, Q2_K (3.20 GB), needs 4.42 GiB.')
    expect(err.hint).toBe('Give a larger budget (--fit 5GiB), or pull it anyway with: hfx pull acme/llama-gguf:Q2_K')
  })
})

describe('pickByTag', () => {
  test('finds the variant case-insensitively', () => {
    expect(pickByTag('r', set, 'q4_k_m')).toMatchObject({ name: 'Q4_K_M', files: ['Llama-3.1-8B-Instruct-Q4_K_M.gguf'], reason: 'variant Q4_K_M (4.90 GB, 1 file) as asked' })
  })

  test('an unknown tag lists the variants and suggests Q4_K_M', () => {
    const err = thrown(() => pickByTag('acme/llama-gguf', set, 'Q4_K_S')) as HfxError
    expect(err).toBeInstanceOf(UnknownVariantError)
    expect(err.exitCode).toBe(EXIT.notFound)
    expect(err.message).toBe("acme/llama-gguf has no variant 'Q4_K_S'; it has Q2_K, Q3_K_M, Q4_K_M, Q5_K_M, Q6_K, Q8_0, F16.")
    expect(err.hint).toBe('Pull one of them, e.g.: hfx pull acme/llama-gguf:Q4_K_M')
  })

  test('a repo without variants says so', () => {
    const err = thrown(() => pickByTag('acme/plain', groupVariants([{ path: 'model.safetensors', size: 1 }]), 'Q4_K_M')) as HfxError
    expect(err.message).toMatch(/^acme\/plain has no quantization variants/)
    expect(err.hint).toBe('List its files with: hfx ls acme/plain')
  })
})

