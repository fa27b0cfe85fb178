// `hfx info` against emulator repos built like real ones. Every expected count is computed here from the
// tensor shapes the test wrote (and the builder's own labels for scales and experts), never copied from hfx.
import { describe, expect, test } from '../helpers/test.js'
import { ggufFile, type GgufTensor } from '../helpers/gguf-writer.js'
import { deepseekV3Tensors, llamaTensors, mixtralTensors, type DeepseekShape } from '../helpers/model-shapes.js'
import { expectedCounts, numel, rawSafetensors, safetensorsFile, safetensorsHeaderJson, shardCheckpoint } from '../helpers/safetensors-writer.js'
import type { Hub } from '../emulator/index.js'
import type { RunResult } from '../helpers/test.js'

const MiB = 1024 * 1024
const lfs = (content: Buffer) => ({ content, lfs: true })

function json(run: RunResult) {
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout)
}

const TOKENIZER = {
  'tokenizer.json': JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {} } }),
  'tokenizer_config.json': JSON.stringify({ model_max_length: 4096 }),
}

describe('DeepSeek-V3-shaped FP8 MoE (12 shards, scale tensors, an index)', () => {
  const shape: DeepseekShape = {
    layers: 6, firstDense: 2, hidden: 64, intermediate: 192, moeIntermediate: 32, heads: 4, qLoraRank: 48, kvLoraRank: 32,
    ropeDim: 8, nopeDim: 16, vDim: 16, routed: 8, shared: 1, vocab: 256, block: 128,
  }
  const config = {
    architectures: ['DeepseekV3ForCausalLM'], model_type: 'deepseek_v3', num_hidden_layers: shape.layers, hidden_size: shape.hidden,
    intermediate_size: shape.intermediate, moe_intermediate_size: shape.moeIntermediate, num_attention_heads: shape.heads,
    num_key_value_heads: shape.heads, q_lora_rank: shape.qLoraRank, kv_lora_rank: shape.kvLoraRank, qk_rope_head_dim: shape.ropeDim,
    qk_nope_head_dim: shape.nopeDim, v_head_dim: shape.vDim, n_routed_experts: shape.routed, n_shared_experts: shape.shared,
    num_experts_per_tok: 2, first_k_dense_replace: shape.firstDense, moe_layer_freq: 1, vocab_size: shape.vocab,
    max_position_embeddings: 163840, rope_scaling: { type: 'yarn', factor: 40, original_max_position_embeddings: 4096 },
    tie_word_embeddings: false, torch_dtype: 'bfloat16',
    quantization_config: { quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] },
  }
  const tensors = deepseekV3Tensors(shape)

  function addDeepseek(hub: Hub, id = 'deepseek-ai/DeepSeek-V3-tiny', opts = {}) {
    const ckpt = shardCheckpoint(tensors, 12)
    const files: Record<string, unknown> = {
      'config.json': JSON.stringify(config),
      'model.safetensors.index.json': JSON.stringify(ckpt.index),
      ...TOKENIZER,
      'README.md': '---\nlicense: mit\n---\n# tiny',
    }
    for (const [name, buf] of Object.entries(ckpt.files)) files[name] = lfs(buf)
    hub.addRepo(id, files as never, { cardData: { license: 'mit', library_name: 'transformers', pipeline_tag: 'text-generation' }, tags: ['transformers', 'fp8'], ...opts })
    return ckpt
  }

  test('counts parameters per dtype, excludes scales, derives active params and the MoE layout', async ({ hub, hfx }) => {
    const ckpt = addDeepseek(hub)
    const want = expectedCounts(tensors, { routedExperts: shape.routed, expertsPerToken: 2 })
    const s = json(await hfx('info', 'deepseek-ai/DeepSeek-V3-tiny', '--json'))

    expect(s.architecture).toMatchObject({
      architectures: ['DeepseekV3ForCausalLM'], layers: 6, hiddenSize: 64, attentionHeads: 4, kvHeads: 4, gqaRatio: 1,
      kvLoraRank: 32, vocabSize: 256,
      moe: { routedExperts: 8, sharedExperts: 1, expertsPerToken: 2, denseLayers: 2, moeLayers: 4 },
      context: { maxPositions: 163840, ropeType: 'yarn', ropeFactor: 40, originalMaxPositions: 4096 },
      quantization: { method: 'fp8', format: 'e4m3', blockSize: [128, 128], activationScheme: 'dynamic' },
      dtype: 'bfloat16', tiedEmbeddings: false,
    })
    const st = s.safetensors
    expect(st).toMatchObject({ shards: 12, shardsRead: 12, index: 'model.safetensors.index.json', notCounted: [] })
    expect(st.fileBytes).toBe(Object.values(ckpt.files).reduce((n, b) => n + b.length, 0))
    expect(st.params.total).toBe(want.total)
    expect(st.params.byDtype).toEqual(want.byDtype)
    expect(st.params.scales).toEqual({ tensors: want.scaleTensors, bytes: want.scaleBytes })
    expect(st.params.tensorBytes).toBe(want.tensorBytes)
    expect(st.params.active.params).toBe(want.active)
    expect(st.params.memory.bf16).toBe(want.total * 2)
    expect(s.files.weightFormats).toEqual([{ format: 'safetensors', files: 12, bytes: st.fileBytes }])
    expect(s.card.license).toBe('mit')
    expect(s.notes).toEqual([])

    // Two requests at most per shard (a HEAD to resolve, one ranged GET), none of them unranged.
    const cdn = hub.requests.filter((r) => r.origin === 'cdn' && r.filePath?.endsWith('.safetensors'))
    expect(cdn.length).toBe(12)
    expect(cdn.every((r) => r.range && /^bytes=0-\d+$/.test(r.range))).toBe(true)
  })

  test('text output: aligned sections in human units', async ({ hub, hfx }) => {
    addDeepseek(hub)
    const want = expectedCounts(tensors, { routedExperts: shape.routed, expertsPerToken: 2 })
    const run = await hfx('info', 'deepseek-ai/DeepSeek-V3-tiny')
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[0]).toMatch(/^deepseek-ai\/DeepSeek-V3-tiny {2}main → [0-9a-f]{40}$/)
    expect(run.stdout).toContain('Weights (safetensors headers)')
    expect(run.stdout).toMatch(/Layers\s+6 \(2 dense, 4 MoE\)/)
    expect(run.stdout).toMatch(/Experts\s+8 routed, 1 shared, 2 per token/)
    expect(run.stdout).toContain(`(${want.total.toLocaleString('en-US')})`)
    expect(run.stdout).toContain('active per token')
    expect(run.stdout).toMatch(/Quantization\s+fp8, e4m3, 8-bit, block 128×128, dynamic activations/)
    // Every row's value starts in the same column.
    const rows = lines.filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  !'))
    const columns = new Set(rows.map((l) => /^ {2}\S.*? {2,}(?=\S)/.exec(l)?.[0].length))
    expect(columns.size).toBe(1)
    expect(lines.length).toBeLessThan(50)
  })

  test('a gated repo without a token: the API facts, one note, no crash', async ({ hub, hfx }) => {
    addDeepseek(hub, 'acme/gated-moe', { gated: 'manual' })
    const s = json(await hfx('info', 'acme/gated-moe', '--json'))
    expect(s.repo.gated).toBe('manual')
    expect(s.files.files).toBe(17)
    expect(s.architecture).toBeUndefined()
    expect(s.safetensors).toBeUndefined()
    expect(s.notes).toHaveLength(1)
    expect(s.notes[0]).toMatch(/^acme\/gated-moe is gated: downloading it needs a token\. .*Accept the terms at http/)
    // What the Hub API gives anyone: config's architecture and the Hub's own count, every tensor (scales too) by dtype.
    const hubCount: Record<string, number> = {}
    for (const t of tensors) hubCount[t.dtype] = (hubCount[t.dtype] ?? 0) + numel(t.shape)
    const total = Object.values(hubCount).reduce((a, b) => a + b, 0)
    expect(s.hubApi).toEqual({ architectures: ['DeepseekV3ForCausalLM'], modelType: 'deepseek_v3', safetensors: { parameters: hubCount, total } })
    const run = await hfx('info', 'acme/gated-moe')
    expect(run.stdout).toContain('Model (from the Hub API; files need access)')
    expect(run.stdout).toMatch(/Model +DeepseekV3ForCausalLM \(deepseek_v3\)/)
    expect(run.stdout).toContain(`(${total.toLocaleString('en-US')}), as the Hub counts them (any scale tensors included)`)
    expect(run.stdout).toMatch(/License +mit/)
  })

  test('with a granted token the CDN never sees it', async ({ hub, hfx }) => {
    addDeepseek(hub, 'acme/gated-moe', { gated: 'manual' })
    hub.addToken('hf_granted', { gated: ['acme/gated-moe'] })
    const s = json(await hfx.with({ env: { HF_TOKEN: 'hf_granted' } })('info', 'acme/gated-moe', '--json'))
    expect(s.safetensors.shardsRead).toBe(12)
    expect(hub.requests.filter((r) => r.origin === 'cdn').every((r) => r.headers.authorization === undefined)).toBe(true)
    expect(hub.requests.some((r) => r.origin === 'hub' && r.headers.authorization === 'Bearer hf_granted')).toBe(true)
  })
})

describe('Llama-shaped GQA model', () => {
  const shape = { layers: 4, hidden: 64, intermediate: 160, heads: 8, kvHeads: 2, vocab: 300 }
  const config = {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', num_hidden_layers: 4, hidden_size: 64, intermediate_size: 160,
    num_attention_heads: 8, num_key_value_heads: 2, vocab_size: 300, max_position_embeddings: 131072,
    rope_scaling: { rope_type: 'llama3', factor: 8.0, original_max_position_embeddings: 8192, low_freq_factor: 1, high_freq_factor: 4 },
    tie_word_embeddings: false, torch_dtype: 'bfloat16',
  }

  test('single model.safetensors: GQA ratio, derived head dim, rope scaling, exact counts', async ({ hub, hfx }) => {
    const tensors = llamaTensors(shape)
    const file = safetensorsFile(tensors)
    hub.addRepo('meta-llama/Llama-tiny', { 'config.json': JSON.stringify(config), 'model.safetensors': lfs(file), ...TOKENIZER }, {
      cardData: { license: 'llama3.1', base_model: 'meta-llama/Llama-base' },
    })
    const want = expectedCounts(tensors)
    const s = json(await hfx('info', 'meta-llama/Llama-tiny', '--json'))
    expect(s.architecture).toMatchObject({
      attentionHeads: 8, kvHeads: 2, gqaRatio: 4, headDim: 8, headDimSource: 'derived',
      context: { maxPositions: 131072, ropeType: 'llama3', ropeFactor: 8, originalMaxPositions: 8192 },
    })
    expect(s.architecture.moe).toBeUndefined()
    expect(s.safetensors.params.total).toBe(want.total)
    expect(s.safetensors.params.byDtype).toEqual({ BF16: want.total })
    expect(s.safetensors.params.active).toBeUndefined()
    expect(s.safetensors.params.memory).toEqual({ stored: want.tensorBytes, bf16: want.total * 2, fp8: want.total, int4: want.total / 2 })
    expect(s.card.baseModel).toEqual(['meta-llama/Llama-base'])
    expect(s.files.byKind.tokenizer.files).toBe(2)
    expect(s.bytesRead).toBeLessThan(file.length)
  })

  test('sharded weights: bytesRead stays below 0.1% of the weights', async ({ hub, hfx }) => {
    // Large tensors, few of them: 8 shards of about 14 MB each, so 0.1% (~113 kB) is a meaningful bound.
    const big = { layers: 8, hidden: 512, intermediate: 1536, heads: 8, kvHeads: 2, vocab: 32000 }
    const tensors = llamaTensors(big)
    const ckpt = shardCheckpoint(tensors, 8)
    const files: Record<string, unknown> = { 'config.json': JSON.stringify({ ...config, ...{ num_hidden_layers: 8, hidden_size: 512 } }), 'model.safetensors.index.json': JSON.stringify(ckpt.index) }
    for (const [name, buf] of Object.entries(ckpt.files)) files[name] = lfs(buf)
    hub.addRepo('acme/llama-sharded', files as never)
    const weights = Object.values(ckpt.files).reduce((n, b) => n + b.length, 0)
    expect(weights).toBeGreaterThan(100 * MiB)

    const s = json(await hfx('info', 'acme/llama-sharded', '--json'))
    expect(s.safetensors.params.total).toBe(expectedCounts(tensors).total)
    expect(s.bytesRead).toBeLessThan(weights * 0.001)
    // The emulator's own count of file bytes served agrees.
    expect(hub.bytesServed()).toBeLessThan(weights * 0.001)
    // One ranged read per shard sufficed: the index sized it.
    expect(hub.requests.filter((r) => r.origin === 'cdn' && r.filePath?.endsWith('.safetensors')).length).toBe(8)
  })

  test('a header longer than the first read takes exactly one more read', async ({ hub, hfx }) => {
    // No index, and 1,500 tensors with long names: a header well over the 100 kB first read.
    const tensors = Array.from({ length: 1500 }, (_, i) => ({ name: `model.layers.${i}.a_rather_long_module_name_for_padding.weight`, dtype: 'F16', shape: [4, 4] }))
    const file = safetensorsFile(tensors)
    expect(safetensorsHeaderJson(tensors).json.length).toBeGreaterThan(100_000)
    hub.addRepo('acme/long-header', { 'model.safetensors': lfs(file) })
    const s = json(await hfx('info', 'acme/long-header', '--json'))
    expect(s.safetensors.params.total).toBe(1500 * 16)
    expect(hub.requests.filter((r) => r.origin === 'cdn').length).toBe(2)
  })

  test('a CDN that ignores Range is cut off, not read to the end', async ({ hub, hfx }) => {
    const tensors = llamaTensors({ ...shape, vocab: 32000, hidden: 256 })
    const file = safetensorsFile(tensors, { extraData: 32 * MiB })
    hub.addRepo('acme/no-range', { 'model.safetensors': lfs(file) })
    hub.inject({ kind: 'ignoreRange', origin: 'cdn', times: Infinity })
    const s = json(await hfx('info', 'acme/no-range', '--json'))
    expect(s.safetensors.params.total).toBe(expectedCounts(tensors).total)
    expect(s.bytesRead).toBeLessThan(1 * MiB)
  })
})

describe('Mixtral-shaped MoE', () => {
  test('num_local_experts and experts per token give the active count', async ({ hub, hfx }) => {
    const shape = { layers: 3, hidden: 64, intermediate: 96, heads: 8, kvHeads: 2, vocab: 256, experts: 4 }
    const tensors = mixtralTensors(shape)
    const ckpt = shardCheckpoint(tensors, 3)
    const config = {
      architectures: ['MixtralForCausalLM'], model_type: 'mixtral', num_hidden_layers: 3, hidden_size: 64, intermediate_size: 96,
      num_attention_heads: 8, num_key_value_heads: 2, num_local_experts: 4, num_experts_per_tok: 2, vocab_size: 256,
      max_position_embeddings: 32768, sliding_window: null, torch_dtype: 'bfloat16',
    }
    const files: Record<string, unknown> = { 'config.json': JSON.stringify(config), 'model.safetensors.index.json': JSON.stringify(ckpt.index) }
    // Stored in git, not LFS: the headers are read from the Hub origin itself, with no CDN redirect.
    for (const [name, buf] of Object.entries(ckpt.files)) files[name] = { content: buf, lfs: false }
    hub.addRepo('mistralai/Mixtral-tiny', files as never)
    const want = expectedCounts(tensors, { routedExperts: 4, expertsPerToken: 2 })

    const s = json(await hfx('info', 'mistralai/Mixtral-tiny', '--json'))
    expect(s.architecture.moe).toEqual({ routedExperts: 4, expertsPerToken: 2, moeLayers: 3, denseLayers: 0 })
    expect(s.architecture.gqaRatio).toBe(4)
    expect(s.safetensors.params.total).toBe(want.total)
    expect(s.safetensors.params.active).toEqual({ params: want.active, routedExpertParams: want.routed, routedExperts: 4, expertsPerToken: 2 })
    expect(s.safetensors.params.scales).toEqual({ tensors: 0, bytes: 0 })
    expect(hub.requests.some((r) => r.origin === 'cdn')).toBe(false)
    expect(s.bytesRead).toBeLessThan(Object.values(ckpt.files).reduce((n, b) => n + b.length, 0) / 10)
  })
})

describe('GGUF repo', () => {
  test('architecture, quantization type, context length and parameter count from each file', async ({ hub, hfx }) => {
    const tensors: GgufTensor[] = [
      { name: 'token_embd.weight', dims: [64, 300], ggmlType: 1 },
      { name: 'blk.0.attn_q.weight', dims: [64, 64], ggmlType: 1 },
      { name: 'blk.0.attn_norm.weight', dims: [64], ggmlType: 0 },
      { name: 'output.weight', dims: [64, 300], ggmlType: 1 },
    ]
    const meta = (fileType: number) => ({
      'general.architecture': { type: 'string' as const, value: 'llama' },
      'general.name': { type: 'string' as const, value: 'Tiny Llama' },
      'general.file_type': { type: 'u32' as const, value: fileType },
      'general.alignment': { type: 'u32' as const, value: 32 },
      'llama.context_length': { type: 'u32' as const, value: 8192 },
      'llama.block_count': { type: 'u32' as const, value: 1 },
      'llama.embedding_length': { type: 'u32' as const, value: 64 },
      'llama.attention.head_count': { type: 'u32' as const, value: 8 },
      'llama.attention.head_count_kv': { type: 'u32' as const, value: 2 },
      'tokenizer.ggml.tokens': { type: 'strings' as const, value: Array.from({ length: 300 }, (_, i) => `tok${i}`) },
    })
    hub.addRepo('acme/tiny-GGUF', {
      'tiny.Q4_K_M.gguf': lfs(ggufFile(meta(15), tensors)),
      'tiny.Q8_0.gguf': lfs(ggufFile(meta(7), tensors)),
      'README.md': '# tiny',
    })
    const params = tensors.reduce((n, t) => n + numel(t.dims), 0)
    const s = json(await hfx('info', 'acme/tiny-GGUF', '--json'))
    expect(s.gguf).toEqual([
      expect.objectContaining({ path: 'tiny.Q4_K_M.gguf', architecture: 'llama', quantization: 'Q4_K_M', contextLength: 8192, parameters: params, tensors: 4, kvHeads: 2 }),
      expect.objectContaining({ path: 'tiny.Q8_0.gguf', quantization: 'Q8_0', parameters: params }),
    ])
    expect(s.files.weightFormats).toEqual([expect.objectContaining({ format: 'gguf', files: 2 })])
    expect(s.notes).toEqual([])
    const text = await hfx('info', 'acme/tiny-GGUF')
    expect(text.stdout).toMatch(new RegExp(`tiny\\.Q4_K_M\\.gguf\\s+.*Q4_K_M · llama · ${(params / 1000).toFixed(1)}K params · ctx 8,192`))
  })

  test('a file that is not GGUF is a note', async ({ hub, hfx }) => {
    hub.addRepo('acme/bad-gguf', { 'bad.gguf': lfs(Buffer.alloc(4096, 7)) })
    const s = json(await hfx('info', 'acme/bad-gguf', '--json'))
    expect(s.gguf).toEqual([{ path: 'bad.gguf', size: 4096 }])
    expect(s.notes[0]).toMatch(/^bad\.gguf: not a readable GGUF file/)
  })
})

describe('dataset', () => {
  test('card summary and files grouped by split, format and folder', async ({ hub, hfx }) => {
    const files: Record<string, Buffer | string> = {
      'README.md': '---\nlicense: cc-by-4.0\n---\n',
      'data/train-00000-of-00002.parquet': Buffer.alloc(3000),
      'data/train-00001-of-00002.parquet': Buffer.alloc(2500),
      'data/test-00000-of-00001.parquet': Buffer.alloc(700),
      'extra/validation.jsonl.gz': Buffer.alloc(400),
      'extra/notes.csv': Buffer.alloc(50),
    }
    hub.addRepo('acme/tiny-ds', files, {
      type: 'dataset',
      cardData: {
        license: 'cc-by-4.0', task_categories: ['text-generation'], size_categories: ['1K<n<10K'], language: 'en',
        configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'data/train-*' }, { split: 'test', path: 'data/test-*' }] }],
      },
    })
    const size = (re: RegExp) => Object.entries(files).filter(([p]) => re.test(p)).reduce((n, [, b]) => n + b.length, 0)
    const count = (re: RegExp) => Object.keys(files).filter((p) => re.test(p)).length
    const s = json(await hfx('info', 'datasets/acme/tiny-ds', '--json'))
    expect(s.card).toEqual({
      license: 'cc-by-4.0', taskCategories: ['text-generation'], sizeCategories: ['1K<n<10K'], language: ['en'],
      configs: [{ name: 'default', splits: ['train', 'test'] }],
    })
    const d = s.dataset
    expect(d.files).toBe(5)
    expect(d.bySplit).toEqual([
      { name: 'train', files: count(/train-/), bytes: size(/train-/) },
      { name: 'test', files: 1, bytes: size(/test-/) },
      { name: 'validation', files: 1, bytes: size(/validation/) },
      { name: '(no split)', files: 1, bytes: size(/notes/) },
    ])
    expect(d.byFormat).toEqual([
      { name: 'parquet', files: 3, bytes: size(/\.parquet$/) },
      { name: 'jsonl.gz', files: 1, bytes: size(/\.jsonl\.gz$/) },
      { name: 'csv', files: 1, bytes: size(/\.csv$/) },
    ])
    expect(d.byFolder).toEqual([
      { name: 'data/', files: 3, bytes: size(/^data\//), formats: ['parquet'] },
      { name: 'extra/', files: 2, bytes: size(/^extra\//), formats: ['csv', 'jsonl.gz'] },
    ])
    expect(s.bytesRead).toBe(0)
    const text = await hfx('info', 'datasets/acme/tiny-ds')
    expect(text.stdout).toMatch(/^datasets\/acme\/tiny-ds {2}main → /)
    expect(text.stdout).toMatch(/Configs\s+default \(train\/test\)/)
  })
})

describe('broken data: a note per file, a correct rest, no crash, no unbounded read', () => {
  test('header length past the file, over the cap, invalid JSON, malformed config.json', async ({ hub, hfx }) => {
    const good = llamaTensors({ layers: 2, hidden: 64, intermediate: 128, heads: 4, kvHeads: 4, vocab: 128 })
    const ckpt = shardCheckpoint(good, 2)
    const files: Record<string, unknown> = {
      'config.json': '{"architectures": ["LlamaForCausalLM"], "hidden_size": 64,',
      'model.safetensors.index.json': JSON.stringify({
        ...ckpt.index,
        weight_map: { ...ckpt.index.weight_map, 'x.weight': 'model-00003-of-00005.safetensors', 'y.weight': 'model-00004-of-00005.safetensors', 'z.weight': 'model-00005-of-00005.safetensors', 'e.weight': 'model-00006-of-00006.safetensors' },
      }),
      'model-00001-of-00005.safetensors': lfs(ckpt.files['model-00001-of-00002.safetensors']!),
      'model-00002-of-00005.safetensors': lfs(ckpt.files['model-00002-of-00002.safetensors']!),
      // Claims a 1 MB header in a 2 kB file.
      'model-00003-of-00005.safetensors': lfs(rawSafetensors(1_000_000n, Buffer.alloc(2048, 0x20))),
      // Claims 2^62 bytes: must be refused before any attempt to read it.
      'model-00004-of-00005.safetensors': lfs(rawSafetensors(2n ** 62n, Buffer.alloc(2048, 0x20))),
      'model-00005-of-00005.safetensors': lfs(rawSafetensors(24n, Buffer.concat([Buffer.from('{"x.weight": {"dtype": '), Buffer.alloc(100)]))),
      // An empty file.
      'model-00006-of-00006.safetensors': lfs(Buffer.alloc(0)),
    }
    // The index was written for 2 shards; rename its entries to the names above.
    const index = JSON.parse(files['model.safetensors.index.json'] as string)
    for (const [k, v] of Object.entries(index.weight_map)) index.weight_map[k] = (v as string).replace('-of-00002', '-of-00005')
    files['model.safetensors.index.json'] = JSON.stringify(index)
    hub.addRepo('acme/broken', files as never)

    const s = json(await hfx('info', 'acme/broken', '--json'))
    expect(s.architecture).toBeUndefined()
    expect(s.safetensors.shards).toBe(6)
    expect(s.safetensors.shardsRead).toBe(2)
    expect(s.safetensors.params.total).toBe(expectedCounts(good).total)
    const notes = s.notes.join('\n')
    expect(notes).toMatch(/config\.json is not valid JSON/)
    expect(notes).toMatch(/model-00003-of-00005\.safetensors: header length 1000000 runs past the end of the 2056-byte file/)
    expect(notes).toMatch(/model-00004-of-00005\.safetensors: header length \d+ is over the 25000000-byte cap/)
    expect(notes).toMatch(/model-00005-of-00005\.safetensors: header is not valid JSON/)
    expect(notes).toMatch(/model-00006-of-00006\.safetensors: too short to be a safetensors file \(0 bytes\)/)
    expect(notes).toMatch(/cover 2 of 6/)
    expect(s.bytesRead).toBeLessThan(64 * 1024)

    const text = await hfx('info', 'acme/broken')
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('Notes')
    expect(text.stdout).toContain('! config.json is not valid JSON')
  })

  test('a tensor whose data_offsets run past the file is refused with its name', async ({ hub, hfx }) => {
    const header = JSON.stringify({ 'w.weight': { dtype: 'F32', shape: [1000, 1000], data_offsets: [0, 4_000_000] } })
    hub.addRepo('acme/lying-offsets', { 'model.safetensors': lfs(rawSafetensors(BigInt(header.length), Buffer.concat([Buffer.from(header), Buffer.alloc(64)]))) })
    const s = json(await hfx('info', 'acme/lying-offsets', '--json'))
    expect(s.safetensors.shardsRead).toBe(0)
    expect(s.safetensors.params).toBeUndefined()
    expect(s.notes.join('\n')).toMatch(/model\.safetensors: .*w\.weight.*exceeds the file size/)
  })

  test('weights only in a format without a readable header: a note, the architecture still shown', async ({ hub, hfx }) => {
    hub.addRepo('acme/old-bin', { 'config.json': JSON.stringify({ architectures: ['GPT2LMHeadModel'], n_layer: 12, n_embd: 768, n_head: 12 }), 'pytorch_model.bin': lfs(Buffer.alloc(20_000)) })
    const s = json(await hfx('info', 'acme/old-bin', '--json'))
    expect(s.architecture).toMatchObject({ layers: 12, hiddenSize: 768, attentionHeads: 12, headDim: 64 })
    expect(s.notes).toEqual(['weights are pytorch only: parameter counts come from safetensors or GGUF headers, which this repo does not have'])
    expect(hub.bytesServed('pytorch_model.bin')).toBe(0)
  })

  test('a repo that does not exist is an error with exit code 3', async ({ hfx }) => {
    const run = await hfx('info', 'acme/nope')
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/^error: repository acme\/nope was not found/)
  })
})

describe('KV cache and memory from config.json (real configs, toy weights)', () => {
  // The attention fields of the public Llama-3.1-8B and DeepSeek-V3 configs; the weights are a toy file,
  // since the KV cache is read from config.json alone.
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

  test('a Llama-3.1-8B config: 128 KiB per token, 16 GiB at 128K, in text and --json', async ({ hub, hfx }) => {
    hub.addRepo('meta-llama/Llama-3.1-8B-kv', { 'config.json': JSON.stringify(llama31), 'model.safetensors': toyWeights() })
    const run = await hfx('info', 'meta-llama/Llama-3.1-8B-kv')
    expect(run.code).toBe(0)
    // 2 × 32 layers × 8 KV heads × 128 head dim × 2 B = 131,072 B
    expect(run.stdout).toMatch(/Rule +GQA \(K \+ V\): 2,048 elements × 32 layers per token/)
    expect(run.stdout).toMatch(/Per token +128 KiB \(131,072 B\) at 16-bit · 64\.0 KiB at 8-bit/)
    expect(run.stdout).toMatch(/At 4K +537 MB \(512 MiB\) at 16-bit · 268 MB \(256 MiB\) at 8-bit/)
    expect(run.stdout).toMatch(/At 32K +4\.29 GB \(4\.00 GiB\) at 16-bit/)
    expect(run.stdout).toMatch(/At 128K +17\.2 GB \(16\.0 GiB\) at 16-bit · 8\.59 GB \(8\.00 GiB\) at 8-bit/)
    expect(run.stdout).toMatch(/Config dtype +bfloat16 \(torch_dtype\)/)

    const s = json(await hfx('info', 'meta-llama/Llama-3.1-8B-kv', '--json'))
    expect(s.kvCache.model).toEqual({ attention: 'GQA', groups: [{ layers: 32, elementsPerToken: 2048 }] })
    expect(s.kvCache.perToken).toEqual({ '16-bit': 131072, '8-bit': 65536 })
    expect(s.kvCache.atContexts.map((a: { context: number }) => a.context)).toEqual([4096, 32768, 131072])
    expect(s.kvCache.atContexts[2].bytes['16-bit']).toBe(16 * 1024 ** 3)
  })

  test('a DeepSeek-V3 config: the MLA latent (70,272 B per token), not 128 KV heads', async ({ hub, hfx }) => {
    hub.addRepo('deepseek-ai/DeepSeek-V3-kv', { 'config.json': JSON.stringify(deepseekV3), 'model.safetensors': toyWeights() })
    const run = await hfx('info', 'deepseek-ai/DeepSeek-V3-kv')
    expect(run.code).toBe(0)
    // (512 + 64) × 61 layers × 2 B = 70,272 B
    expect(run.stdout).toMatch(/Attention +128 heads, MLA \(K and V from a rank-512 latent\), head dim 192/)
    expect(run.stdout).not.toContain('128 KV heads')
    expect(run.stdout).toMatch(/Rule +MLA \(latent \+ rope key\): 576 elements × 61 layers per token/)
    expect(run.stdout).toMatch(/Per token +68\.6 KiB \(70,272 B\) at 16-bit/)
    // 70,272 × 163,840 = 11,513,364,480 B
    expect(run.stdout).toMatch(/At 160K +11\.5 GB \(10\.7 GiB\) at 16-bit/)
    expect(run.stdout).toMatch(/Config dtype +bfloat16 \(torch_dtype; weights quantized, fp8\)/)
    const s = json(await hfx('info', 'deepseek-ai/DeepSeek-V3-kv', '--json'))
    expect(s.kvCache.perToken).toEqual({ '16-bit': 70272, '8-bit': 35136 })
    expect(s.kvCache.atContexts.at(-1)).toEqual({ context: 163840, bytes: { '16-bit': 11_513_364_480, '8-bit': 5_756_682_240 } })
  })

  test('a DeepSeek-V3-shaped checkpoint with an MTP layer: counted apart from the active parameters', async ({ hub, hfx }) => {
    const shape: DeepseekShape = {
      layers: 4, firstDense: 1, hidden: 64, intermediate: 192, moeIntermediate: 32, heads: 4, qLoraRank: 48, kvLoraRank: 32,
      ropeDim: 8, nopeDim: 16, vDim: 16, routed: 8, shared: 1, vocab: 256, block: 128,
    }
    // Layers 0–2 are the model, layer 3 its MTP layer (as DeepSeek-V3 stores model.layers.61.*).
    const tensors = deepseekV3Tensors(shape)
    const config = {
      ...deepseekV3, num_hidden_layers: 3, hidden_size: 64, num_attention_heads: 4, num_key_value_heads: 4, kv_lora_rank: 32,
      qk_rope_head_dim: 8, qk_nope_head_dim: 16, n_routed_experts: 8, n_shared_experts: 1, num_experts_per_tok: 2, first_k_dense_replace: 1,
    }
    hub.addRepo('acme/mtp', { 'config.json': JSON.stringify(config), 'model.safetensors': lfs(safetensorsFile(tensors)) }, { tags: ['license:mit'] })
    const isMtp = (t: { name: string }) => t.name.startsWith('model.layers.3.')
    const all = expectedCounts(tensors)
    const main = expectedCounts(tensors.filter((t) => !isMtp(t)), { routedExperts: 8, expertsPerToken: 2 })
    const mtp = expectedCounts(tensors.filter(isMtp), { routedExperts: 8, expertsPerToken: 2 })
    const s = json(await hfx('info', 'acme/mtp', '--json'))
    expect(s.safetensors.params.total).toBe(all.total)
    expect(s.safetensors.params.active.params).toBe(main.active)
    expect(s.safetensors.params.mtp).toEqual({ layers: 1, params: mtp.total, activeParams: mtp.active })
    // No card license: the Hub's license tag stands in.
    expect(s.card.license).toBe('mit')
    const run = await hfx('info', 'acme/mtp')
    expect(run.stdout).toMatch(/Parameters +\S+ \([\d,]+\) = \S+ \+ \S+ MTP layer/)
    expect(run.stdout).toMatch(/Active +\S+ active per token \(2 of 8 experts\) \+ \S+ MTP \(speculative decoding only\)/)
    expect(run.stdout).toMatch(/License +mit/)
  })

  test('an FP8 checkpoint: as stored splits weights from scale bytes; GiB beside GB', async ({ hub, hfx }) => {
    const shape: DeepseekShape = {
      layers: 2, firstDense: 1, hidden: 64, intermediate: 192, moeIntermediate: 32, heads: 4, qLoraRank: 48, kvLoraRank: 32,
      ropeDim: 8, nopeDim: 16, vDim: 16, routed: 4, shared: 1, vocab: 256, block: 128,
    }
    const tensors = deepseekV3Tensors(shape)
    hub.addRepo('acme/fp8', { 'config.json': JSON.stringify({ ...deepseekV3, num_nextn_predict_layers: 0 }), 'model.safetensors': lfs(safetensorsFile(tensors)) })
    const want = expectedCounts(tensors)
    const run = await hfx('info', 'acme/fp8')
    expect(want.scaleBytes).toBeGreaterThan(0)
    const fmt = (n: number) => (n < 1000 ? `${n} B` : `${Number((n / 1000).toPrecision(3))}`)
    expect(run.stdout).toMatch(new RegExp(`As stored +[\\d.]+ [kM]B \\([\\d.]+ [KM]iB\\) = [\\d.]+ [kM]B weights \\+ ${fmt(want.scaleBytes)}.* scales`))
    expect(run.stdout).toMatch(/At bf16 +[\d.]+ [kM]B \([\d.]+ [KM]iB\)/)
    expect(run.stdout).toMatch(/At int4 +.*\+ scales and zero points/)
  })
})
