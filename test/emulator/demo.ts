// A long-running emulator with repos shaped like real ones, for trying hfx by hand and for the README's
// sample output:  npx vite-node test/emulator/demo.ts  then  HF_ENDPOINT=<printed url> npx hfx ls …
// With --tls both origins speak HTTPS; a second line names the CA: NODE_EXTRA_CA_CERTS=<that file> npx hfx …
import { bytes } from '../helpers/files.js'
import { deepseekV3Tensors, llamaTensors } from '../helpers/model-shapes.js'
import { shardCheckpoint } from '../helpers/safetensors-writer.js'
import { startHub } from './index.js'

const hub = await startHub({ tls: process.argv.includes('--tls') ? 'both' : false })

// A Llama-3-shaped model at toy size: GQA, two safetensors shards with an index, the original/ folder.
const llama = shardCheckpoint(llamaTensors({ layers: 8, hidden: 512, intermediate: 1536, heads: 8, kvHeads: 2, vocab: 32000 }), 2)
hub.addRepo(
  'acme/tiny-llama',
  {
    '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.pth filter=lfs diff=lfs merge=lfs -text\n',
    'README.md': '---\nlicense: llama3.1\nlibrary_name: transformers\npipeline_tag: text-generation\nbase_model: meta-llama/Llama-3.1-8B\n---\n# tiny-llama\n',
    'config.json': JSON.stringify(
      {
        architectures: ['LlamaForCausalLM'],
        model_type: 'llama',
        hidden_size: 512,
        intermediate_size: 1536,
        num_hidden_layers: 8,
        num_attention_heads: 8,
        num_key_value_heads: 2,
        vocab_size: 32000,
        max_position_embeddings: 131072,
        rope_scaling: { rope_type: 'llama3', factor: 8.0, original_max_position_embeddings: 8192 },
        tie_word_embeddings: false,
        torch_dtype: 'bfloat16',
      },
      null,
      2,
    ),
    'generation_config.json': '{"do_sample": true, "temperature": 0.6}\n',
    ...llama.files,
    'model.safetensors.index.json': JSON.stringify(llama.index, null, 2),
    'original/consolidated.00.pth': bytes(3, 12 * 1024 * 1024),
    'original/params.json': '{"dim": 512, "n_layers": 8, "n_heads": 8, "n_kv_heads": 2}\n',
    'tokenizer.json': { content: bytes(4, 2 * 1024 * 1024), lfs: true },
    'tokenizer_config.json': '{"model_max_length": 131072}\n',
  },
  { cardData: { license: 'llama3.1', library_name: 'transformers', pipeline_tag: 'text-generation', base_model: 'meta-llama/Llama-3.1-8B' } },
)

// A DeepSeek-V3-shaped FP8 MoE: block-quantized weights with scale tensors, MLA attention, shared experts,
// and a multi-token-prediction layer stored after the 6 hidden layers (model.layers.6.*), as V3 stores layer 61.
const ds = shardCheckpoint(
  deepseekV3Tensors({ layers: 7, firstDense: 2, hidden: 256, intermediate: 512, moeIntermediate: 128, heads: 4, qLoraRank: 64, kvLoraRank: 32, ropeDim: 8, nopeDim: 16, vDim: 16, routed: 16, shared: 1, vocab: 8192, block: 128 }),
  6,
)
hub.addRepo('acme/tiny-deepseek', {
  'config.json': JSON.stringify({
    architectures: ['DeepseekV3ForCausalLM'],
    model_type: 'deepseek_v3',
    hidden_size: 256,
    intermediate_size: 512,
    moe_intermediate_size: 128,
    num_hidden_layers: 6,
    num_nextn_predict_layers: 1,
    first_k_dense_replace: 2,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    q_lora_rank: 64,
    kv_lora_rank: 32,
    qk_rope_head_dim: 8,
    qk_nope_head_dim: 16,
    v_head_dim: 16,
    n_routed_experts: 16,
    n_shared_experts: 1,
    num_experts_per_tok: 4,
    vocab_size: 8192,
    max_position_embeddings: 163840,
    rope_scaling: { type: 'yarn', factor: 40, original_max_position_embeddings: 4096 },
    torch_dtype: 'bfloat16',
    quantization_config: { quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] },
  }),
  ...ds.files,
  'model.safetensors.index.json': JSON.stringify(ds.index),
}, { cardData: { license: 'mit', library_name: 'transformers' } })

// The same toy Llama behind a manual gate: without a token, info shows what the Hub API gives anyone.
hub.addRepo('acme/gated-llama', { 'config.json': JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama' }), ...llama.files }, {
  gated: 'manual',
  cardData: { license: 'llama3.1' },
})

process.stdout.write(`${hub.url}\n${hub.caFile ? `${hub.caFile}\n` : ''}`)
const stop = () => hub.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
