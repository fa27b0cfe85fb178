// A long-running ModelScope emulator with a demo repo, for trying hfx by hand and for the README's ModelScope section:
//   npx vite-node test/emulator-modelscope/demo.ts   then   MODELSCOPE_DOMAIN=<printed url> npx hfx ls ms://acme/tiny-qwen
import { bytes } from '../helpers/files.js'
import { llamaTensors } from '../helpers/model-shapes.js'
import { safetensorsFile } from '../helpers/safetensors-writer.js'
import { startModelScope } from './index.js'

const ms = await startModelScope()
const shape = { layers: 4, hidden: 256, intermediate: 768, heads: 8, kvHeads: 2, vocab: 8000 }
const repo = ms.addRepo('acme/tiny-qwen', {
  'configuration.json': JSON.stringify({ framework: 'pytorch', task: 'text-generation' }),
  'config.json': JSON.stringify({
    architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', num_hidden_layers: shape.layers, hidden_size: shape.hidden,
    intermediate_size: shape.intermediate, num_attention_heads: shape.heads, num_key_value_heads: shape.kvHeads,
    vocab_size: shape.vocab, max_position_embeddings: 32768, torch_dtype: 'bfloat16',
  }),
  'model.safetensors': { content: safetensorsFile(llamaTensors(shape)), lfs: true },
  'tokenizer.json': { content: bytes(1, 2 * 1024 * 1024), lfs: true },
  'README.md': '# tiny-qwen\n',
})
repo.tag('v1.0')
ms.addRepo('acme/tiny-rows', { 'train.jsonl': '{"text":"hello"}\n', 'data/test.parquet': bytes(2, 300 * 1024) }, { type: 'dataset' })
console.log(ms.url)
