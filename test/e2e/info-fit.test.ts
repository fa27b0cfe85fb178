// `hfx info --fit` against emulator repos: the real Llama-3.1-8B and DeepSeek-V3 attention configs (the KV
// cache is read from config.json) over toy weights, so the weights' share is what the headers say (a few kB)
// and the expected figures follow from the budget arithmetic in src/summary/fit.ts, redone here.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ggufFile, type GgufTensor } from '../helpers/gguf-writer.js'
import { llamaTensors } from '../helpers/model-shapes.js'
import { safetensorsFile } from '../helpers/safetensors-writer.js'
import { describe, expect, test } from '../helpers/test.js'
import type { RunResult } from '../helpers/test.js'

const GiB = 2 ** 30
const lfs = (content: Buffer) => ({ content, lfs: true })

function json(run: RunResult) {
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout)
}

const llama31 = {
  architectures: ['LlamaForCausalLM'], model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, intermediate_size: 14336,
  num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 131072, torch_dtype: 'bfloat16',
}
const deepseekV3 = {
  architectures: ['DeepseekV3ForCausalLM'], model_type: 'deepseek_v3', num_hidden_layers: 61, hidden_size: 7168, num_attention_heads: 128,
  num_key_value_heads: 128, kv_lora_rank: 512, q_lora_rank: 1536, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128,
  max_position_embeddings: 163840, torch_dtype: 'bfloat16', num_nextn_predict_layers: 1,
  quantization_config: { quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] },
}
const toyWeights = () => lfs(safetensorsFile(llamaTensors({ layers: 1, hidden: 16, intermediate: 32, heads: 2, kvHeads: 1, vocab: 10 })))
/** floor(80 GiB × 0.9) − 1 GiB */
const USABLE_80GIB = 71 * GiB

describe('--fit on a Llama-shaped repo', () => {
  test('80GiB × 8: fits on one GPU at the whole 128K; the vLLM and SGLang flags, in text', async ({ hub, hfx }) => {
    hub.addRepo('meta-llama/Llama-fit', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
    const run = await hfx('info', 'meta-llama/Llama-fit', '--fit', '80GiB', '--gpus', '8')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Fit \(8 × 80\.0 GiB\)$/m)
    expect(run.stdout).toMatch(/Overhead +10% of each GPU left free \(vLLM gpu_memory_utilization 0\.9\), then 1 GiB for the CUDA context, workspaces and activations$/m)
    expect(run.stdout).toMatch(/Usable +71\.0 GiB per GPU$/m)
    expect(run.stdout).toMatch(/KV cache +16\.0 GiB per GPU at 128K, 16-bit/)
    expect(run.stdout).toMatch(/Fits +yes, on 1 GPU \(TP 1, the smallest that fits at 131,072 tokens \(128K\); TP 1\/2\/4\/8 allowed by the heads\)/)
    expect(run.stdout).toMatch(/Max context +131,072 tokens \(128K\) at TP 1, the model's maximum/)
    expect(run.stdout).toMatch(/vLLM +vllm serve meta-llama\/Llama-fit --max-model-len 131072 --tensor-parallel-size 1$/m)
    expect(run.stdout).toMatch(/SGLang +python -m sglang\.launch_server --model-path meta-llama\/Llama-fit --context-length 131072 --tp 1$/m)
    expect(run.stdout).not.toContain('llama.cpp')
  })

  test('--json: a fit object with the budget, the stated overhead and the flags', async ({ hub, hfx }) => {
    hub.addRepo('meta-llama/Llama-fit', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
    const s = json(await hfx('info', 'meta-llama/Llama-fit', '--fit', '80GiB', '--gpus', '8', '--json'))
    const weights = s.safetensors.params.memory.stored
    expect(s.fit).toEqual({
      budget: { gpus: 8, gpuBytes: 80 * GiB, source: 'size' },
      overhead: { utilization: 0.9, fixedBytes: GiB, text: expect.stringContaining('10% of each GPU left free') },
      kvPrecision: '16-bit',
      weights: { bytes: weights, from: 'safetensors, as stored' },
      fits: true, batch: 1, context: 131072, maxPositions: 131072, validTensorParallel: [1, 2, 4, 8],
      minTensorParallel: 1, tensorParallel: 1, maxContext: 131072,
      perGpu: { tensorParallel: 1, usableBytes: USABLE_80GIB, weightsBytes: weights, kvBytes: 16 * GiB, context: 131072 },
      flags: {
        context: 131072, tensorParallel: 1,
        vllm: '--max-model-len 131072 --tensor-parallel-size 1', sglang: '--context-length 131072 --tp 1',
      },
    })
  })

  test('a budget too small for the whole context: the largest that fits, and flags for it', async ({ hub, hfx }) => {
    hub.addRepo('meta-llama/Llama-fit', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
    const s = json(await hfx('info', 'meta-llama/Llama-fit', '--fit', '2GiB', '--batch', '2', '--json'))
    // usable = floor(2 GiB × 0.9) − 1 GiB; each token costs 131,072 B × 2 sequences
    const usable = Math.floor(2 * GiB * 0.9) - GiB
    const max = Math.floor((usable - s.safetensors.params.memory.stored) / (131072 * 2))
    expect(s.fit).toMatchObject({ fits: false, batch: 2, tensorParallel: 1, maxContext: max })
    expect(s.fit.flags.vllm).toBe(`--max-model-len ${max - (max % 1024)} --tensor-parallel-size 1 --max-num-seqs 2`)
    const run = await hfx('info', 'meta-llama/Llama-fit', '--fit', '2GiB', '--batch', '2')
    expect(run.stdout).toMatch(/Fits +no, not at 131,072 tokens \(128K\) × 2 sequences, even at TP 1 \(the weights alone fit from TP 1\)/)
  })

  test('--gpu L4 --context 32k: the marketed 24 GB, taken as 10^9 bytes', async ({ hub, hfx }) => {
    hub.addRepo('meta-llama/Llama-fit', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
    const s = json(await hfx('info', 'meta-llama/Llama-fit', '--gpu', 'L4', '--context', '32k', '--json'))
    expect(s.fit.budget).toEqual({ gpus: 1, gpuBytes: 24e9, source: 'gpu-table', gpuName: 'L4 24GB', context: 32768 })
    expect(s.fit.flags.vllm).toBe('--max-model-len 32768 --tensor-parallel-size 1')
  })
})

describe('--fit on a DeepSeek-V3-shaped repo', () => {
  test('80GiB × 8 at 32K: the MLA latent per GPU, in text and --json', async ({ hub, hfx }) => {
    hub.addRepo('deepseek-ai/DeepSeek-V3-fit', { 'config.json': JSON.stringify(deepseekV3), 'model.safetensors': toyWeights() })
    const run = await hfx('info', 'deepseek-ai/DeepSeek-V3-fit', '--fit', '80GiB', '--gpus', '8', '--context', '32k')
    expect(run.code).toBe(0)
    // 70,272 B per token × 32,768 = 2,302,672,896 B = 2.14 GiB, the whole latent on the rank
    expect(run.stdout).toMatch(/KV cache +2\.14 GiB per GPU at 32K, 16-bit/)
    expect(run.stdout).toMatch(/Fits +yes, on 1 GPU \(TP 1, the smallest that fits at 32,768 tokens \(32K\); TP 1\/2\/4\/8 allowed by the heads\)/)
    expect(run.stdout).toMatch(/Max context +163,840 tokens \(160K\) at TP 1, the model's maximum/)
    expect(run.stdout).toMatch(/vLLM +vllm serve deepseek-ai\/DeepSeek-V3-fit --max-model-len 32768 --tensor-parallel-size 1$/m)

    const s = json(await hfx('info', 'deepseek-ai/DeepSeek-V3-fit', '--fit', '80GiB', '--gpus', '8', '--context', '32k', '--json'))
    expect(s.fit).toMatchObject({ fits: true, context: 32768, tensorParallel: 1, maxContext: 163840, validTensorParallel: [1, 2, 4, 8] })
    expect(s.fit.perGpu.kvBytes).toBe(70272 * 32768)
    expect(s.fit.flags).toEqual({
      context: 32768, tensorParallel: 1, vllm: '--max-model-len 32768 --tensor-parallel-size 1', sglang: '--context-length 32768 --tp 1',
    })
  })
})

describe('--fit on a GGUF repo', () => {
  test('llama.cpp flags; no config.json, so the answer covers the weights only and says so', async ({ hub, hfx }) => {
    const tensors: GgufTensor[] = [
      { name: 'token_embd.weight', dims: [64, 300], ggmlType: 1 },
      { name: 'output.weight', dims: [64, 300], ggmlType: 1 },
    ]
    const meta = {
      'general.architecture': { type: 'string' as const, value: 'llama' },
      'general.file_type': { type: 'u32' as const, value: 15 },
      'general.alignment': { type: 'u32' as const, value: 32 },
      'llama.context_length': { type: 'u32' as const, value: 8192 },
    }
    hub.addRepo('acme/tiny-GGUF', { 'tiny.Q4_K_M.gguf': lfs(ggufFile(meta, tensors)) })
    const run = await hfx('info', 'acme/tiny-GGUF', '--fit', '24GB')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Weights +.*, GGUF Q4_K_M; /)
    expect(run.stdout).toMatch(/KV cache +not sized \(no config\.json to size the KV cache from\): this answer covers the weights only/)
    expect(run.stdout).toMatch(/llama\.cpp +llama-server -hf acme\/tiny-GGUF -c 8192 -ngl 999$/m)
    expect(run.stdout).not.toContain('vllm serve')
  })
})

describe('--fit alone reads the local GPUs from nvidia-smi', () => {
  async function standIn(script: string) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-smi-'))
    await writeFile(path.join(dir, 'nvidia-smi'), `#!/bin/sh\necho "$@" > "${dir}/args"\n${script}\n`)
    await chmod(path.join(dir, 'nvidia-smi'), 0o755)
    return dir
  }

  test('two H100s as nvidia-smi reports them (MiB)', async ({ hub, hfx }) => {
    const dir = await standIn(`printf 'NVIDIA H100 80GB HBM3, 81559\\nNVIDIA H100 80GB HBM3, 81559\\n'`)
    try {
      hub.addRepo('meta-llama/Llama-fit', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
      const run = await hfx.with({ env: { PATH: dir } })('info', 'meta-llama/Llama-fit', '--fit', '--json')
      const s = json(run)
      expect(s.fit.budget).toEqual({ gpus: 2, gpuBytes: 81559 * 2 ** 20, source: 'nvidia-smi', gpuName: 'NVIDIA H100 80GB HBM3' })
      expect(s.fit.validTensorParallel).toEqual([1, 2])
      expect((await readFile(path.join(dir, 'args'), 'utf8')).trim()).toBe('--query-gpu=name,memory.total --format=csv,noheader,nounits')
      const text = await hfx.with({ env: { PATH: dir } })('info', 'meta-llama/Llama-fit', '--fit', 'auto')
      expect(text.stdout).toMatch(/^Fit \(2 × NVIDIA H100 80GB HBM3 79\.6 GiB, from nvidia-smi\)$/m)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('no nvidia-smi on PATH: a usage error before any request, with the way out', async ({ hub, hfx }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-nosmi-'))
    try {
      hub.addRepo('meta-llama/Llama-fit', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
      const run = await hfx.with({ env: { PATH: dir } })('info', 'meta-llama/Llama-fit', '--fit')
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/^error: --fit without a size reads the local GPUs, but nvidia-smi is not on PATH\./m)
      expect(run.stderr).toMatch(/--fit 80GiB, or --gpu H100/)
      expect(hub.requests).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('flags that size a fit without one are refused; so is a size without a unit', async ({ hfx }) => {
    const stray = await hfx('info', 'acme/x', '--gpus', '8')
    expect(stray.code).toBe(2)
    expect(stray.stderr).toMatch(/--gpus only applies to a fit/)
    const bare = await hfx('info', 'acme/x', '--fit', '80')
    expect(bare.code).toBe(2)
    expect(bare.stderr).toMatch(/G\/GB = 10\^9 bytes, Gi\/GiB = 2\^30/)
  })
})
