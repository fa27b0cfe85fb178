import { describe, expect, test } from 'vitest'
import { UsageError } from '../../src/errors.js'
import { gpuByName, parseContext, parseFitArg, parseMemorySize, resolveFitBudget } from '../../src/summary/fit-budget.js'
import { parseNvidiaSmi } from '../../src/summary/local-gpus.js'

const GiB = 2 ** 30

describe('memory sizes: G/GB are 10^9 bytes, Gi/GiB 2^30', () => {
  test.each([
    ['80GiB', 80 * GiB],
    ['80gib', 80 * GiB],
    ['80Gi', 80 * GiB],
    ['24GB', 24e9],
    ['24G', 24e9],
    ['24 GB', 24e9],
    ['81559MiB', 81_559 * 2 ** 20],
    ['1.5TB', 1.5e12],
    ['0.5TiB', 512 * GiB],
  ])('%s', (text, bytes) => expect(parseMemorySize(text)).toBe(bytes))
  test.each(['80', '', 'GiB', '80XB', '-1GB', '0GB'])('%j is refused', (text) => expect(() => parseMemorySize(text)).toThrow(/80GiB/))
  test('auto reads the local GPUs', () => {
    expect(parseFitArg('auto')).toBe('auto')
    expect(parseFitArg('AUTO')).toBe('auto')
    expect(parseFitArg('40GB')).toBe(40e9)
  })
})

describe('contexts: k = 1,024 tokens', () => {
  test.each([
    ['32k', 32_768],
    ['128K', 131_072],
    ['1m', 1_048_576],
    ['8192', 8192],
  ])('%s', (text, n) => expect(parseContext(text)).toBe(n))
  test.each(['0', '32kb', '1.5k', 'k', '-4'])('%j is refused', (text) => expect(() => parseContext(text)).toThrow(/32k/))
})

describe('GPU names', () => {
  test('marketed GB, taken as 10^9 bytes', () => {
    expect(gpuByName('H100')).toEqual({ name: 'H100 80GB (SXM/PCIe)', bytes: 80e9 })
    expect(gpuByName('h100 nvl').bytes).toBe(94e9)
    expect(gpuByName('NVIDIA H200').bytes).toBe(141e9)
    expect(gpuByName('rtx-4090').bytes).toBe(24e9)
    expect(gpuByName('a100_40gb').bytes).toBe(40e9)
    expect(gpuByName('B200').bytes).toBe(192e9)
  })
  test('A100 alone is ambiguous; an unknown name lists the table', () => {
    expect(() => gpuByName('A100')).toThrow(/A100-40GB and A100-80GB/)
    expect(() => gpuByName('TPU')).toThrow(/H100, H100-NVL/)
  })
})

describe('nvidia-smi output', () => {
  test('one GPU per line, memory in MiB', () => {
    const out = 'NVIDIA H100 80GB HBM3, 81559\nNVIDIA H100 80GB HBM3, 81559\n\n'
    expect(parseNvidiaSmi(out)).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', bytes: 81_559 * 2 ** 20 },
      { name: 'NVIDIA H100 80GB HBM3', bytes: 81_559 * 2 ** 20 },
    ])
    expect(parseNvidiaSmi('No devices were found\n')).toEqual([])
    expect(parseNvidiaSmi('NVIDIA A10G, [N/A]\n')).toEqual([])
  })
})

describe('the budget from the flags', () => {
  const none = async () => {
    throw new Error('nvidia-smi must not run')
  }
  test('no fit asked for', async () => {
    expect(await resolveFitBudget({}, none)).toBeUndefined()
    await expect(resolveFitBudget({ gpus: 8 }, none)).rejects.toThrow(UsageError)
    await expect(resolveFitBudget({ context: 4096 }, none)).rejects.toThrow(/--context only applies to a fit/)
  })
  test('a size or a GPU name: one GPU unless --gpus', async () => {
    expect(await resolveFitBudget({ fit: 80 * GiB }, none)).toEqual({ gpus: 1, gpuBytes: 80 * GiB, source: 'size' })
    expect(await resolveFitBudget({ gpu: { name: 'L4 24GB', bytes: 24e9 }, gpus: 2, context: 8192, batch: 2 }, none)).toEqual({
      gpus: 2, gpuBytes: 24e9, source: 'gpu-table', gpuName: 'L4 24GB', context: 8192, batch: 2,
    })
    await expect(resolveFitBudget({ fit: 80 * GiB, gpu: { name: 'L4', bytes: 24e9 } }, none)).rejects.toThrow(/both give the memory/)
  })
  test('--fit alone or auto: every local GPU, the smallest one sizing each rank', async () => {
    const local = async () => [
      { name: 'NVIDIA L4', bytes: 23_034 * 2 ** 20 },
      { name: 'NVIDIA RTX A6000', bytes: 49_140 * 2 ** 20 },
    ]
    expect(await resolveFitBudget({ fit: true }, local)).toEqual({ gpus: 2, gpuBytes: 23_034 * 2 ** 20, source: 'nvidia-smi', gpuName: 'NVIDIA L4' })
    expect(await resolveFitBudget({ fit: 'auto', gpus: 1 }, async () => (await local()).reverse())).toMatchObject({ gpus: 1, gpuBytes: 49_140 * 2 ** 20, gpuName: 'NVIDIA RTX A6000' })
  })
})
